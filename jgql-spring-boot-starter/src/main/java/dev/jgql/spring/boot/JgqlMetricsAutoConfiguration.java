package dev.jgql.spring.boot;

import dev.jgql.GraphQLInterceptor;
import dev.jgql.micrometer.GraphQLClientObservationConvention;
import dev.jgql.micrometer.JgqlMetrics;
import dev.jgql.micrometer.JgqlObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Metrics and observations of the auto-configured client, when the application has Micrometer (Spring Boot's
 * actuator) and {@code dev.jgql:jgql-micrometer}: a {@link JgqlMetrics} listener on the application's
 * {@link MeterRegistry} ({@code jgql.client.*} meters) and an observation per call on its
 * {@link ObservationRegistry} (a span per call with Micrometer Tracing, whose trace context is then sent as
 * request headers). {@code jgql.metrics.enabled=false} and {@code jgql.metrics.observations-enabled=false}
 * switch them off; beans of the same type replace them.
 *
 * <pre>
 * management.endpoints.web.exposure.include=health,metrics
 * jgql.metrics.max-operation-names=50
 * </pre>
 */
@AutoConfiguration(before = JgqlAutoConfiguration.class, afterName = {
        // Spring Boot 4 and 3.5 keep their registries' auto-configurations in different packages.
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass(JgqlMetrics.class)
@ConditionalOnProperty(prefix = "jgql", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(JgqlProperties.class)
public class JgqlMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public JgqlMetricsAutoConfiguration() {
    }

    /** The meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnProperty(prefix = "jgql.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        JgqlMetrics jgqlMetrics(MeterRegistry registry, JgqlProperties properties) {
            return JgqlMetrics.builder(registry).maxOperationNames(properties.getMetrics().getMaxOperationNames()).build();
        }
    }

    /** The observations. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnProperty(prefix = "jgql.metrics", name = "observations-enabled", havingValue = "true", matchIfMissing = true)
    static class Observations {
        /** First of the interceptors, so that the application's run inside the call's observation. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        @ConditionalOnMissingBean(name = "jgqlObservationInterceptor")
        GraphQLInterceptor jgqlObservationInterceptor(ObservationRegistry registry,
                ObjectProvider<GraphQLClientObservationConvention> convention) {
            return JgqlObservations.interceptor(registry, convention.getIfUnique());
        }
    }
}

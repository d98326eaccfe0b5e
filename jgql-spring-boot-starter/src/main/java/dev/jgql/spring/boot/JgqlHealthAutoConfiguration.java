package dev.jgql.spring.boot;

import dev.jgql.Client;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Actuator health indicator {@code jgql} (see {@link JgqlHealth} for what it says), when the application
 * has Spring Boot's health support and a jgql {@link Client}. {@code jgql.health.*} tunes it;
 * {@code management.health.jgql.enabled=false} switches it off; a bean named {@value #INDICATOR_BEAN} replaces it.
 *
 * <pre>
 * management.endpoint.health.show-details=always
 * jgql.health.grace-period=10s
 * jgql.health.probe-interval=30s
 * </pre>
 */
@AutoConfiguration(after = JgqlAutoConfiguration.class)
@ConditionalOnBean(Client.class)
@ConditionalOnProperty(name = "management.health.jgql.enabled", havingValue = "true", matchIfMissing = true)
public class JgqlHealthAutoConfiguration {
    /** The indicator's bean name; the health endpoint shows it as {@code jgql}. */
    public static final String INDICATOR_BEAN = "jgqlHealthIndicator";

    /** Creates the auto-configuration; Spring does. */
    public JgqlHealthAutoConfiguration() {
    }

    /**
     * The check, from {@code jgql.health.*}.
     *
     * @param client     the client
     * @param tracker    the tracker registered on it, or a new one if the application built its client itself
     * @param properties the properties
     * @param clock      the application's {@link Clock} bean if it has exactly one, else the system clock
     * @return the check
     */
    @Bean
    @ConditionalOnMissingBean
    public JgqlHealth jgqlHealth(Client client, ObjectProvider<JgqlConnectionTracker> tracker, JgqlProperties properties,
            ObjectProvider<Clock> clock) {
        Clock time = clock.getIfUnique(Clock::systemUTC);
        JgqlProperties.Health health = properties.getHealth();
        return new JgqlHealth(client, tracker.getIfUnique(() -> new JgqlConnectionTracker(time)), health.getGracePeriod(),
                health.getProbeInterval(), health.getProbeTimeout(), time);
    }

    /** Spring Boot 4's health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4 {
        @Bean(name = INDICATOR_BEAN)
        @ConditionalOnMissingBean(name = INDICATOR_BEAN)
        JgqlHealthIndicator jgqlHealthIndicator(JgqlHealth health) {
            return new JgqlHealthIndicator(health);
        }
    }

    /** Spring Boot 3's health API, reached by reflection: the starter is compiled against Boot 4. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot3HealthIndicators.INDICATOR)
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    @Import(Boot3HealthIndicators.class)
    static class Boot3 {
    }
}

package dev.jgql.spring.boot.boot3;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.JgqlUsageException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.micrometer.JgqlMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter in a Spring Boot 3.5 application: one context, started and stopped by the test. */
@Timeout(60)
class StarterOnBoot3Test {
    private static final CountriesServer BACKEND = CountriesServer.start(0);

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @SpringBootApplication
    static class Application {
    }

    @Test
    void clientSessionHealthAndMetricsWorkOnBoot3() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        Client client;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .run("--jgql.url=" + BACKEND.webSocketUri(), "--jgql.connect.await-at-startup=true",
                        "--spring.main.banner-mode=off")) {
            client = context.getBean(Client.class);
            assertThat(client.session().state()).isEqualTo(ConnectionState.CONNECTED);
            Map<String, Object> data = client.session()
                    .execute(gql("query getContinentName($code: ID!) { continent(code: $code) { name } }"), Map.of("code", "EU"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(data).isEqualTo(Map.of("continent", Map.of("name", "Europe")));

            // Boot 3's health API, which the starter reaches by reflection.
            HealthContributorRegistry health = context.getBean(HealthContributorRegistry.class);
            assertThat(health.getContributor("jgql")).isInstanceOf(HealthIndicator.class);
            assertThat(((HealthIndicator) health.getContributor("jgql")).health().getStatus()).isEqualTo(Status.UP);
            assertThat(((HealthIndicator) health.getContributor("jgql")).health().getDetails())
                    .containsEntry("state", "CONNECTED");

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(JgqlMetrics.CALLS)
                    .tags("operation", "getContinentName", "outcome", "SUCCESS").timer() != null);
            assertThat(registry.get(JgqlMetrics.STATE).tags("link", "main", "state", "CONNECTED").gauge().value()).isEqualTo(1);
            // The observation of the call, made into a timer by Boot 3's observation-to-metrics handler.
            assertThat(registry.get("jgql.client.operation").tags("graphql.operation.name", "getContinentName").timer().count())
                    .isEqualTo(1);
        }
        assertThatThrownBy(client::session).isInstanceOf(JgqlUsageException.class);
    }
}

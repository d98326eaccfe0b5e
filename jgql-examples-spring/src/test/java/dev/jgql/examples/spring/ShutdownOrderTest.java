package dev.jgql.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.Client;
import dev.jgql.JgqlUsageException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.micrometer.JgqlMetrics;
import dev.jgql.testkit.ChaosProxy;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Why the session's lifecycle phase is below the web server's: a request still in flight when the application
 * is asked to stop is answered from the backend (graceful shutdown waits for it, and the session is still
 * open), and only then is the session closed.
 */
@Timeout(60)
class ShutdownOrderTest {

    @Test
    void aRequestInFlightAtShutdownIsAnsweredBeforeTheSessionCloses() throws Exception {
        try (CountriesServer backend = CountriesServer.start(0); ChaosProxy proxy = ChaosProxy.start(backend.port())) {
            ConfigurableApplicationContext context = SpringApplication.run(ContinentsApplication.class,
                    "--server.port=0", "--jgql.url=" + proxy.httpUri("/graphql"), "--jgql.deadline=10s",
                    "--jgql.execute-timeout=10s", "--server.shutdown=graceful");
            Client client = context.getBean(Client.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            // Every chunk the backend sends back is held a while: the request is in flight when the stop begins.
            proxy.mode(ChaosProxy.Mode.latency(Duration.ofMillis(700)));

            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> Http.get(port, "/continent/EU"));
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(JgqlMetrics.PENDING).gauge().value() == 1);
            context.close();

            HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(Http.json(response).path("continent").path("name").asText()).isEqualTo("Europe");
            Assertions.assertThatThrownBy(client::session).isInstanceOf(JgqlUsageException.class);
        }
    }
}

package dev.jgql.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.Client;
import dev.jgql.ClientEventListener;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.testkit.FakeScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health indicator with the backend up, down and back, on a clock the test moves: grace period and probe
 * interval without waiting for them. The only real waits are for the session to reconnect once the backend is
 * back, bounded.
 */
@Timeout(60)
class JgqlHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private CountriesServer backend;
    private ChaosProxy proxy;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JgqlAutoConfiguration.class, JgqlHealthAutoConfiguration.class))
            .withUserConfiguration(TestTime.class)
            .withPropertyValues("jgql.connect.retry.initial-delay=20ms", "jgql.connect.retry.max-delay=100ms",
                    "jgql.health.grace-period=10s", "jgql.health.probe-interval=30s", "jgql.health.probe-timeout=2s");

    @BeforeEach
    void start() {
        backend = CountriesServer.start(0);
        proxy = ChaosProxy.start(backend.port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.close();
    }

    private static Health health(AssertableApplicationContext context) {
        return context.getBean(JgqlHealthAutoConfiguration.INDICATOR_BEAN, HealthIndicator.class).health();
    }

    @Test
    void overHttpAProbeTellsTheTruthAtMostOncePerIntervalAndAnOutageIsDownOnlyAfterTheGracePeriod() {
        runner.withPropertyValues("jgql.url=" + proxy.httpUri("/graphql")).run(context -> {
            FakeScheduler clock = context.getBean(TestTime.class).time;
            TestTime probes = context.getBean(TestTime.class);

            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
            assertThat(probes.count.get()).as("one probe per interval").isEqualTo(1);

            // The backend goes away: nothing tells the session until a request fails, so the next probe does.
            proxy.mode(ChaosProxy.Mode.REFUSE);
            proxy.killAll();
            assertThat(health(context).getStatus()).as("the cached answer, within the interval").isEqualTo(Status.UP);
            clock.advance(Duration.ofSeconds(30));
            Health withinGrace = health(context);
            assertThat(probes.count.get()).isEqualTo(2);
            assertThat(withinGrace.getStatus()).isEqualTo(Status.UP);
            assertThat(withinGrace.getDetails()).containsKeys("since", "error");

            clock.advance(Duration.ofSeconds(10));
            Health down = health(context);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) down.getDetails().get("error")).contains("TransportConnectionFailedException");

            // Back: the session's own reconnect loop finds it (fast backoff here), and health follows.
            proxy.mode(ChaosProxy.Mode.PASS);
            await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
            assertThat(health(context).getDetails()).containsEntry("state", "CONNECTED").doesNotContainKey("error");
        });
    }

    @Test
    void overWebSocketTheLinkStateIsTheTruthWithoutAProbe() {
        runner.withPropertyValues("jgql.url=" + proxy.webSocketUri("/graphql"), "jgql.connect.await-at-startup=true")
                .run(context -> {
                    FakeScheduler clock = context.getBean(TestTime.class).time;
                    assertThat(health(context).getStatus()).isEqualTo(Status.UP);

                    proxy.mode(ChaosProxy.Mode.REFUSE);
                    proxy.killAll();
                    await().atMost(WAIT).until(() -> health(context).getDetails().containsKey("error"));
                    assertThat(health(context).getStatus()).as("within the grace period").isEqualTo(Status.UP);
                    assertThat(health(context).getDetails()).containsEntry("state", "RECONNECTING");

                    clock.advance(Duration.ofSeconds(10));
                    Health down = health(context);
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat((String) down.getDetails().get("error")).isNotBlank();

                    proxy.mode(ChaosProxy.Mode.PASS);
                    await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.UP));
                    assertThat(context.getBean(TestTime.class).count.get()).as("no probe over WebSocket").isZero();
                });
    }

    @Test
    void aSessionThatIsNotOpenIsOutOfService() {
        runner.withPropertyValues("jgql.url=" + proxy.httpUri("/graphql")).run(context -> {
            context.getBean(Client.class).closeAsync().get();
            assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class TestTime {
        final AtomicInteger count = new AtomicInteger();
        /** Only its clock is used: the health indicator's time, which the test moves with advance(). */
        final FakeScheduler time = new FakeScheduler();

        @Bean
        Clock clock() {
            return time.clock();
        }

        @Bean
        ClientEventListener probeCounter() {
            return new ClientEventListener() {
                @Override
                public void callStarted(CallStarted event) {
                    if (event.operationName().equals("jgqlHealth")) {
                        count.incrementAndGet();
                    }
                }
            };
        }
    }
}

package dev.jgql.micrometer;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.failsafe.RetryPolicy;
import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.TransportServerException;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JgqlMetricsTest {
    private static final GraphQLRequest CONTINENT = gql("query getContinentName($code: ID!) { continent(code: $code) { name } }");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static CountriesServer backend;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Client client;
    private ChaosProxy proxy;
    private ScriptedHttpServer scripted;

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.closeAsync().orTimeout(10, TimeUnit.SECONDS).join();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (scripted != null) {
            scripted.close();
        }
    }

    private static RetryPolicy<Object> fastReconnect() {
        return Reconnect.backoff(Duration.ofMillis(20), Duration.ofMillis(100)).handle(Exception.class).withMaxRetries(-1).build();
    }

    private ReconnectingSession connect(Transport transport, JgqlMetrics metrics, Reconnect reconnect) {
        client = Client.builder().transport(transport).eventListener(metrics).build();
        return client.connectAsync(reconnect).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private double state(String link, String state) {
        return registry.get(JgqlMetrics.STATE).tags("link", link, "state", state).gauge().value();
    }

    @Test
    void aCallIsTimedPerOperationAndOutcomeAndTheGaugesTellTheState() {
        ReconnectingSession session = connect(HttpTransport.builder(backend.httpUri()).build(),
                JgqlMetrics.builder(registry).tags(Tags.of("client", "countries")).build(), Reconnect.defaults());

        assertThat(session.execute(CONTINENT, Map.of("code", "EU")).join()).containsKey("continent");
        ExecutionResult withErrors = session.executeForResult(gql("query broken { noSuchField }")).join();
        assertThat(withErrors.hasErrors()).isTrue();
        session.execute(gql("{ continents { code } }")).join();
        // The listener hears of a call's end right after its caller does.
        await().atMost(WAIT).until(() -> registry.get(JgqlMetrics.PENDING).gauge().value() == 0);

        Timer success = registry.get(JgqlMetrics.CALLS)
                .tags("client", "countries", "operation", "getContinentName", "type", "query", "outcome", "SUCCESS",
                        "exception", "none")
                .timer();
        assertThat(success.count()).isEqualTo(1);
        assertThat(success.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get(JgqlMetrics.CALLS).tags("operation", "broken", "outcome", "GRAPHQL_ERRORS").timer().count())
                .isEqualTo(1);
        assertThat(registry.get(JgqlMetrics.CALLS).tags("operation", "anonymous", "outcome", "SUCCESS").timer().count())
                .isEqualTo(1);
        // Operation names only: neither variables nor documents become tags.
        assertThat(registry.get(JgqlMetrics.CALLS).timers()).allSatisfy(timer -> assertThat(timer.getId().getTags())
                .extracting(tag -> tag.getKey()).containsExactlyInAnyOrder("client", "operation", "type", "outcome", "exception"));
        assertThat(registry.get(JgqlMetrics.PENDING).gauge().value()).isZero();
        assertThat(state("session", "CONNECTED")).isEqualTo(1);
        assertThat(state("session", "RECONNECTING")).isZero();
        assertThat(state("main", "CONNECTED")).isEqualTo(1);

        client.closeAsync().orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(state("session", "CLOSED")).isEqualTo(1);
        assertThat(state("session", "CONNECTED")).isZero();
    }

    @Test
    void pendingCallsAreCountedWhileTheyRun() {
        ReconnectingSession session = connect(HttpTransport.builder(backend.httpUri()).build(),
                JgqlMetrics.builder(registry).build(), Reconnect.defaults());

        CompletableFuture<Map<String, Object>> slow = session.execute(gql("query slow { slow(ms: 1500) }"));
        await().atMost(WAIT).until(() -> registry.get(JgqlMetrics.PENDING).gauge().value() == 1);
        slow.orTimeout(10, TimeUnit.SECONDS).join();

        // The listener hears of the end right after the caller does.
        await().atMost(WAIT).until(() -> registry.get(JgqlMetrics.PENDING).gauge().value() == 0);
        assertThat(registry.get(JgqlMetrics.CALLS).tags("operation", "slow", "outcome", "SUCCESS").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void retriesConnectFailuresAndReconnectsAreCountedAndTheStateFollowsTheLink() {
        proxy = ChaosProxy.start(backend.port());
        ReconnectingSession session = connect(WebSocketTransport.builder(proxy.webSocketUri("/graphql")).build(),
                JgqlMetrics.builder(registry).build(), Reconnect.builder().retryConnect(fastReconnect()).build());
        assertThat(state("main", "CONNECTED")).isEqualTo(1);
        // There from the start, at 0, for dashboards.
        assertThat(registry.get(JgqlMetrics.CONNECT_FAILURES).tags("link", "main").counter().count()).isZero();
        assertThat(registry.get(JgqlMetrics.RECONNECTS).tags("link", "main").counter().count()).isZero();

        proxy.mode(ChaosProxy.Mode.REFUSE);
        proxy.killAll();
        await().atMost(WAIT).until(() -> registry.get(JgqlMetrics.CONNECT_FAILURES).tags("link", "main").counter().count() >= 2);
        assertThat(state("main", "RECONNECTING")).isEqualTo(1);
        assertThat(state("session", "RECONNECTING")).isEqualTo(1);
        assertThat(state("main", "CONNECTED")).isZero();

        proxy.mode(ChaosProxy.Mode.PASS);
        session.whenConnected().orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(registry.get(JgqlMetrics.RECONNECTS).tags("link", "main").counter().count()).isEqualTo(1);
        assertThat(state("main", "CONNECTED")).isEqualTo(1);
        assertThat(state("session", "CONNECTED")).isEqualTo(1);
    }

    @Test
    void aCallThatFailsAfterRetriesIsTimedAsFailedWithItsRetriesCounted() {
        scripted = ScriptedHttpServer.start();
        scripted.enqueue(Response.status(503), Response.status(503), Response.status(503));
        RetryPolicy<Object> threeTries = Reconnect.backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .handle(Exception.class).withMaxAttempts(3).build();
        ReconnectingSession session = connect(HttpTransport.builder(scripted.uri()).build(),
                JgqlMetrics.builder(registry).build(),
                Reconnect.builder().retryConnect(fastReconnect()).retryExecute(threeTries).build());

        CompletableFuture<Map<String, Object>> call = session.execute(CONTINENT, Map.of("code", "EU"));

        assertThatThrownBy(() -> call.orTimeout(10, TimeUnit.SECONDS).join())
                .hasCauseInstanceOf(TransportServerException.class);
        assertThat(scripted.requestCount()).isEqualTo(3);
        await().atMost(WAIT).until(() -> registry.find(JgqlMetrics.CALLS).tags("outcome", "FAILED").timer() != null);
        assertThat(registry.get(JgqlMetrics.RETRIES).tags("operation", "getContinentName").counter().count()).isEqualTo(2);
        Timer failed = registry.get(JgqlMetrics.CALLS).tags("operation", "getContinentName", "outcome", "FAILED").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.getId().getTag("exception")).isEqualTo("TransportServerException");
        assertThat(registry.get(JgqlMetrics.PENDING).gauge().value()).isZero();
    }

    @Test
    void operationNamesPastTheLimitAreCountedAsOther() {
        ReconnectingSession session = connect(HttpTransport.builder(backend.httpUri()).build(),
                JgqlMetrics.builder(registry).maxOperationNames(2).build(), Reconnect.defaults());

        for (String name : List.of("first", "second", "third", "fourth", "first")) {
            session.execute(gql("query " + name + " { continents { code } }")).join();
        }
        await().atMost(WAIT).until(() -> registry.get(JgqlMetrics.PENDING).gauge().value() == 0);

        assertThat(registry.get(JgqlMetrics.CALLS).timers()).extracting(timer -> timer.getId().getTag("operation"))
                .containsExactlyInAnyOrder("first", "second", "other");
        assertThat(registry.get(JgqlMetrics.CALLS).tags("operation", "other").timer().count()).isEqualTo(2);
        assertThat(registry.get(JgqlMetrics.CALLS).tags("operation", "first").timer().count()).isEqualTo(2);
    }

    @Test
    void activeSubscriptionsAreCounted() {
        ReconnectingSession session = connect(WebSocketTransport.builder(backend.webSocketUri()).build(),
                JgqlMetrics.builder(registry).build(), Reconnect.defaults());
        Gauge active = registry.get(JgqlMetrics.ACTIVE_SUBSCRIPTIONS).gauge();
        RecordingSubscriber<Map<String, Object>> subscriber = new RecordingSubscriber<>(0);

        session.subscribe(gql("subscription countdown { countdown(from: 3, intervalMs: 10) }")).subscribe(subscriber);
        subscriber.awaitSubscription(WAIT);
        assertThat(active.value()).isEqualTo(1);

        subscriber.request(Long.MAX_VALUE);
        subscriber.awaitTermination(WAIT);
        assertThat(subscriber.items()).hasSize(4);
        assertThat(active.value()).isZero();
    }

    @Test
    void aBadLimitIsRefusedClearly() {
        assertThatThrownBy(() -> JgqlMetrics.builder(registry).maxOperationNames(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxOperationNames must be at least 1");
        assertThatThrownBy(() -> JgqlMetrics.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("registry");
    }
}

package dev.jgql.interop.spring;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;
import dev.jgql.TransportQueryException;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.ws.WebSocketClosedException;
import dev.jgql.transport.ws.WebSocketProtocol;
import dev.jgql.transport.ws.WebSocketTransport;
import dev.jgql.engine.Engine;
import dev.jgql.engine.JdkEngine;
import dev.jgql.vertx.VertxEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * jgql's WebSocket transport against Spring for GraphQL 1.4 (Spring Boot 3.5): graphql-transport-ws
 * with Spring's quirks ({@code "id":null}, {@code "payload":{}}, pong payload {@code {}}, request
 * errors as {@code next} + {@code complete}, and a 4400 right after selecting graphql-ws), on each engine.
 */
@Timeout(120)
class SpringInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final GraphQLRequest COUNTDOWN = Gql.gql(
            "subscription c($from: Int!) { countdown(from: $from, intervalMs: 5) }");
    private static SpringGraphQLServer server;

    @BeforeAll
    static void start() {
        server = SpringGraphQLServer.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void queriesMutationsAndSubscriptionsThroughASession(Engine engine) {
        Client client = Client.builder().transport(ws(engine, server.webSocketUri()).build()).build();
        try (Session session = client.connect()) {
            assertThat(session.execute(Gql.gql("{ hello(name: \"jgql\") }"))).isEqualTo(Map.of("hello", "Hello, jgql"));
            int before = server.counter();
            assertThat(session.execute(Gql.gql("mutation { increment(by: 3) }"))).isEqualTo(Map.of("increment", before + 3));
            assertThat(server.counter()).isEqualTo(before + 3);

            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(2);
            session.subscribe(COUNTDOWN.withVariables(Map.of("from", 4))).subscribe(events);
            events.awaitItems(2, WAIT);
            events.request(10);
            events.awaitTermination(WAIT);
            assertThat(events.items()).extracting(data -> data.get("countdown")).containsExactly(4, 3, 2, 1, 0);
            assertThat(events.isCompleted()).isTrue();
            assertThat(events.violations()).isEmpty();
        }
        assertThat(client.transport().toString()).contains("graphql-transport-ws");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void validationErrorsArriveAsResults(Engine engine) {
        Client client = Client.builder().transport(ws(engine, server.webSocketUri()).build()).build();
        try (Session session = client.connect()) {
            ExecutionResult result = session.executeForResult(Gql.gql("{ nope }"));
            assertThat(result.hasErrors()).isTrue();
            assertThat(result.isDataPresent()).isFalse();
            assertThatThrownBy(() -> session.execute(Gql.gql("{ nope }"))).isInstanceOf(TransportQueryException.class);
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            session.subscribeForResults(Gql.gql("subscription { countdown(from: \"x\") }")).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.items()).hasSize(1).allMatch(ExecutionResult::hasErrors);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void cancellingStopsTheServerStream(Engine engine) throws Exception {
        TransportConnection connection = connect(ws(engine, server.webSocketUri()).build(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
        try {
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 100_000))).subscribe(events);
            events.awaitItems(3, WAIT);
            events.cancel();
            eventually(() -> server.activeCountdowns() == 0, "Spring stopped the stream");
            assertThat(connection.execute(Gql.gql("{ hello }")).get(10, TimeUnit.SECONDS).data())
                    .isEqualTo(Map.of("hello", "Hello, world"));
        } finally {
            connection.close().get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void protocolPingsAreAnsweredWithSpringsPong(Engine engine) throws Exception {
        FakeScheduler scheduler = new FakeScheduler();
        TransportConnection connection = connect(ws(engine, server.webSocketUri())
                .protocolPingInterval(Duration.ofSeconds(10)).pongTimeout(Duration.ofSeconds(5))
                .pingInterval(Duration.ofSeconds(10)).build(), scheduler);
        try {
            for (int round = 0; round < 3; round++) {
                scheduler.advance(Duration.ofSeconds(10)); // a ping frame and a ping message go out
                // Both pongs come back in real time; once they have, the next pings are scheduled.
                eventually(() -> scheduler.nextDelay().map(d -> d.equals(Duration.ofSeconds(10))).orElse(false)
                        && scheduler.pendingTaskCount() == 2, "both pongs");
            }
            scheduler.advance(Duration.ofSeconds(5));
            assertThat(connection.isOpen()).isTrue();
        } finally {
            CompletableFuture<Void> closing = connection.close();
            scheduler.advance(Duration.ofSeconds(10));
            closing.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void serverPingMessagesDoNotDisturbTheLink(Engine engine) throws Exception {
        try (SpringGraphQLServer pinging = SpringGraphQLServer.start(Map.of("spring.graphql.websocket.keep-alive", "50ms"))) {
            TransportConnection connection = connect(ws(engine, pinging.webSocketUri()).build(),
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
            try {
                // Spring pings an idle socket every 50 ms; unanswered, nothing happens, so this checks
                // that the pings (with "id":null and "payload":{}) do not break the link.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                assertThat(connection.isOpen()).isTrue();
                assertThat(connection.execute(Gql.gql("{ hello }")).get(10, TimeUnit.SECONDS).errors()).isEmpty();
            } finally {
                connection.close().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void forcingTheLegacyProtocolMeetsSpringsImmediate4400(Engine engine) {
        WebSocketTransport legacy = ws(engine, server.webSocketUri())
                .protocol(WebSocketProtocol.GRAPHQL_WS).build();
        Throwable failure = failure(legacy.connect(context(new FakeScheduler())));
        assertThat(failure).isInstanceOf(WebSocketClosedException.class);
        assertThat(((WebSocketClosedException) failure).closeCode()).isEqualTo(4400);
        assertThat(((WebSocketClosedException) failure).isRetryable()).isFalse();
    }

    /** Both engines: the JDK's (the default) and Vert.x's, each against the same Spring server. */
    static Stream<Engine> engines() {
        return Stream.of(JdkEngine.create(), VertxEngine.create());
    }

    private static WebSocketTransport.Builder ws(Engine engine, java.net.URI uri) {
        return WebSocketTransport.builder(uri).engine(engine);
    }

    private static TransportContext context(java.util.concurrent.ScheduledExecutorService scheduler) {
        return TransportContext.of(scheduler, java.time.Clock.systemUTC(), GraphQLJson.defaultMapper());
    }

    private static TransportConnection connect(WebSocketTransport transport,
            java.util.concurrent.ScheduledExecutorService scheduler) throws Exception {
        return transport.connect(context(scheduler)).get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not true within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}

package dev.jgql.interop.vertx4;

import dev.jgql.ExecutionResult;
import dev.jgql.TestEngines;
import dev.jgql.Gql;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.ws.WebSocketClosedException;
import dev.jgql.transport.ws.WebSocketProtocol;
import dev.jgql.transport.ws.WebSocketTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jgql's WebSocket transport against Vert.x 4.5's {@code ApolloWSHandler}, the legacy graphql-ws
 * protocol: negotiation falls back to it, {@code ka} is tolerated, {@code stop} cancels, a refused
 * init ({@code connection_error} with a string payload, then 1011) fails the connect. The build runs it
 * twice: on the JDK engine, and on the Vert.x engine ({@code jgql.test.engine}), the server in a
 * child JVM both times.
 */
@Timeout(60)
class Vertx4InteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Vertx4ServerProcess server;
    private ScheduledExecutorService scheduler;

    @BeforeAll
    static void start() throws Exception {
        server = Vertx4ServerProcess.start(50);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void scheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private TransportContext context() {
        return TransportContext.of(scheduler, Clock.systemUTC(), GraphQLJson.defaultMapper());
    }

    @Test
    void negotiationFallsBackToTheLegacyProtocol() throws Exception {
        WebSocketTransport transport = TestEngines.ws(server.webSocketUri())
                .keepAliveTimeout(Duration.ofSeconds(5)).build();
        TransportConnection connection = transport.connect(context()).get(10, TimeUnit.SECONDS);
        try {
            assertThat(transport.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_WS);
            ExecutionResult hello = connection.execute(Gql.gql("{ hello }")).get(10, TimeUnit.SECONDS);
            assertThat(hello.data()).isEqualTo(Map.of("hello", "Hello from Vert.x 4"));

            ExecutionResult invalid = connection.execute(Gql.gql("{ nope }")).get(10, TimeUnit.SECONDS);
            assertThat(invalid.hasErrors()).isTrue();

            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            connection.subscribe(Gql.gql("subscription { countdown(from: 3) }")).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.items()).extracting(r -> r.data().get("countdown")).containsExactly(3, 2, 1, 0);
            assertThat(events.isCompleted()).isTrue();

            // The server sends 'ka' every 50 ms: the link stays healthy with the ka deadline armed.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(connection.isOpen()).isTrue();
        } finally {
            connection.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopCancelsTheServerStream() throws Exception {
        TransportConnection connection = TestEngines.ws(server.webSocketUri())
                .protocol(WebSocketProtocol.GRAPHQL_WS).build().connect(context()).get(10, TimeUnit.SECONDS);
        try {
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            connection.subscribe(Gql.gql("subscription { countdown(from: 100000) }")).subscribe(events);
            events.awaitItems(3, WAIT);
            events.cancel();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.activeCountdowns() != 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertThat(server.activeCountdowns()).isZero();
            assertThat(connection.isOpen()).isTrue();
        } finally {
            connection.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedInitFailsTheConnect() {
        CompletableFuture<TransportConnection> connecting = TestEngines.ws(server.webSocketUri())
                .protocol(WebSocketProtocol.GRAPHQL_WS).initPayload(Map.of("token", "bad")).build().connect(context());
        Throwable failure;
        try {
            connecting.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the connect should fail");
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(failure).isInstanceOf(WebSocketClosedException.class).hasMessageContaining("invalid token");
        assertThat(((WebSocketClosedException) failure).isRetryable()).as("credentials refused: retrying the same call cannot help").isFalse();
    }
}

package dev.jgql.transport.sse;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.jgql.transport.sse.SseTesting.WAIT;
import static dev.jgql.transport.sse.SseTesting.await;
import static dev.jgql.transport.sse.SseTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** graphql-sse's single-connection mode against the countries backend: one reservation, one stream for every operation. */
@Timeout(60)
class SseSingleConnectionTest {
    private static final GraphQLRequest COUNTDOWN = Gql.gql(
            "subscription countdown($from: Int!, $interval: Int) { countdown(from: $from, intervalMs: $interval) }");

    private CountriesServer server;
    private ScheduledExecutorService scheduler;

    @org.junit.jupiter.api.AfterAll
    static void noThreadLeft() {
        dev.jgql.transport.http.LeakChecks.assertNoJgqlThreadLeft(); // every HttpClient and stream thread of this class ended
    }

    @BeforeEach
    void start() {
        server = CountriesServer.start(0);
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        server.close();
    }

    private SseTransport transport() {
        return SseTesting.sse(server.httpUri()).singleConnection(true).build();
    }

    @Test
    void operationsShareOneStream() {
        TransportConnection connection = SseTesting.connect(transport(), scheduler);
        try {
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 3, "interval", 5))).subscribe(events);
            ExecutionResult query = await(connection.execute(Gql.gql("{ continent(code: \"EU\") { name } }")));
            assertThat(query.data()).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
            GraphQLRequest increment = Gql.gql("mutation inc($id: String) { increment(requestId: $id) }")
                    .withVariables(Map.of("id", "single-once"));
            assertThat(await(connection.execute(increment)).data()).containsKey("increment");
            assertThat(server.timesApplied("single-once")).isEqualTo(1);
            ExecutionResult deferred = await(connection.execute(
                    Gql.gql("{ continent(code: \"OC\") { name ... @defer { code } } }")));
            assertThat(deferred.data()).isEqualTo(Map.of("continent", Map.of("name", "Oceania", "code", "OC")));
            events.awaitTermination(WAIT);
            assertThat(events.error()).isNull();
            assertThat(events.items()).extracting(result -> result.data().get("countdown")).containsExactly(3, 2, 1, 0);
            ExecutionResult invalid = await(connection.execute(Gql.gql("{ nope }")));
            assertThat(invalid.errors()).isNotEmpty();
        } finally {
            await(connection.close());
        }
    }

    @Test
    void cancellingStopsTheOperationOnTheServerAndOthersGoOn() {
        TransportConnection connection = SseTesting.connect(transport(), scheduler);
        try {
            RecordingSubscriber<ExecutionResult> cancelled = new RecordingSubscriber<>(Long.MAX_VALUE);
            RecordingSubscriber<ExecutionResult> kept = new RecordingSubscriber<>(Long.MAX_VALUE);
            connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 100_000, "interval", 5))).subscribe(cancelled);
            connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 30, "interval", 5))).subscribe(kept);
            cancelled.awaitItems(2, WAIT);
            cancelled.cancel();
            kept.awaitTermination(WAIT);
            assertThat(kept.error()).isNull();
            assertThat(kept.items()).hasSize(31);
            SseTestingWait.until(() -> server.activeCountdowns() == 0, "the server stopped the cancelled countdown");
        } finally {
            await(connection.close());
        }
    }

    @Test
    void aLostStreamEndsEveryOperationAndTheSessionResubscribesOnANewReservation() {
        int port = server.port();
        try (Client client = Client.builder().transport(transport()).build()) {
            ReconnectingSession session = await(client.connectAsync(Reconnect.builder().resubscribe().build()));
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            session.subscribe(COUNTDOWN.withVariables(Map.of("from", 100_000, "interval", 20))).subscribe(events);
            events.awaitItems(2, WAIT);

            server.close(); // the stream and its reservation are gone
            server = CountriesServer.start(port);
            int before = events.items().size();
            events.awaitItems(before + 2, WAIT);
            assertThat(events.error()).isNull();
            assertThat(events.items().get(events.items().size() - 1).get("countdown")).isNotNull();
        }
    }

    @Test
    void withoutResubscribeALostStreamEndsSubscriptionsAsClosed() {
        TransportConnection connection = SseTesting.connect(transport(), scheduler);
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 100_000, "interval", 20))).subscribe(events);
        events.awaitItems(1, WAIT);
        server.close();
        assertThat(events.awaitError(WAIT)).isInstanceOf(TransportClosedException.class);
        assertThat(connection.whenClosed().toCompletableFuture().join()).isInstanceOf(TransportConnectionFailedException.class);
        assertThat(connection.isOpen()).isFalse();
        assertThat(failure(connection.execute(Gql.gql("{ counter }")))).isInstanceOf(TransportConnectionFailedException.class)
                .hasMessageContaining("not sent");
        server = CountriesServer.start(0);
    }
}

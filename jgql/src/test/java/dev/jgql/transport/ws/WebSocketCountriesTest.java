package dev.jgql.transport.ws;

import dev.jgql.TestEngines;
import dev.jgql.AsyncSession;
import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.jgql.transport.ws.WsTesting.WAIT;
import static dev.jgql.transport.ws.WsTesting.await;
import static dev.jgql.transport.ws.WsTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The happy paths against a real graphql-transport-ws server: the embedded countries backend (Vert.x 5). */
@Timeout(60)
class WebSocketCountriesTest {
    private static final GraphQLRequest COUNTDOWN = Gql.gql(
            "subscription countdown($from: Int!, $interval: Int) { countdown(from: $from, intervalMs: $interval) }");

    private static CountriesServer server;
    private ScheduledExecutorService scheduler;
    private TransportConnection connection;

    @BeforeAll
    static void startServer() {
        server = CountriesServer.start(0);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        connection = WsTesting.connect(TestEngines.ws(server.webSocketUri()).build(), scheduler);
    }

    @AfterEach
    void close() {
        await(connection.close());
        scheduler.shutdownNow();
    }

    @Test
    void negotiatesGraphqlTransportWs() {
        WebSocketConnection ws = (WebSocketConnection) connection;
        assertThat(ws.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_TRANSPORT_WS);
        assertThat(ws.negotiatedSubprotocol()).isEqualTo("graphql-transport-ws");
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void runsAQuery() {
        ExecutionResult result = await(connection.execute(Gql.gql("{ continent(code: \"EU\") { name } }")));
        assertThat(result.errors()).isEmpty();
        assertThat(result.data()).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
    }

    @Test
    void runsAMutationOnce() {
        GraphQLRequest increment = Gql.gql("mutation inc($id: String) { increment(by: 2, requestId: $id) }")
                .withVariables(Map.of("id", "ws-mutation-1"));
        ExecutionResult result = await(connection.execute(increment));
        assertThat(result.data()).containsKey("increment");
        assertThat(server.timesApplied("ws-mutation-1")).isEqualTo(1);
    }

    @Test
    void deliversValidationErrorsAsAResult() {
        ExecutionResult result = await(connection.execute(Gql.gql("{ continent(code: \"EU\") { nope } }")));
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.isDataPresent()).isFalse();
    }

    @Test
    void subscriptionHonoursRequestN() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(2);
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 5, "interval", 5))).subscribe(events);

        assertThat(values(events.awaitItems(2, WAIT))).containsExactly(5, 4);
        // The server keeps producing while the client buffers; nothing more is delivered without demand.
        eventually(() -> server.activeCountdowns() == 0, "the countdown finished on the server");
        assertThat(events.items()).hasSize(2);
        assertThat(events.isTerminated()).isFalse();

        events.request(10);
        events.awaitTermination(WAIT);
        assertThat(values(events.items())).containsExactly(5, 4, 3, 2, 1, 0);
        assertThat(events.isCompleted()).isTrue();
        assertThat(events.violations()).isEmpty();
        assertThat(events.threads()).allMatch(name -> name.startsWith("jgql-ws-"));
    }

    @Test
    void cancelStopsTheSubscriptionOnTheServer() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 100_000, "interval", 5))).subscribe(events);
        events.awaitItems(3, WAIT);
        assertThat(server.activeCountdowns()).isEqualTo(1);

        events.cancel();
        eventually(() -> server.activeCountdowns() == 0, "the server stopped the countdown");
        eventually(() -> ((WebSocketConnection) connection).activeOperations() == 0, "the operation is forgotten");
        assertThat(events.isTerminated()).isFalse();
        // The link is still usable.
        assertThat(await(connection.execute(Gql.gql("{ counter }"))).errors()).isEmpty();
    }

    @Test
    void multiplexesManySubscriptionsOnOneSocket() {
        List<RecordingSubscriber<ExecutionResult>> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 10, "interval", 2))).subscribe(events);
            all.add(events);
        }
        List<ExecutionResult> queries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queries.add(await(connection.execute(Gql.gql("{ continent(code: \"AF\") { code } }"))));
        }
        for (RecordingSubscriber<ExecutionResult> events : all) {
            events.awaitTermination(WAIT);
            assertThat(values(events.items())).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
            assertThat(events.violations()).isEmpty();
        }
        assertThat(queries).allMatch(result -> !result.hasErrors());
    }

    @Test
    void aBlockedSubscriberDoesNotStallOtherOperations() throws InterruptedException {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RecordingSubscriber<ExecutionResult> blocked = new RecordingSubscriber<ExecutionResult>(Long.MAX_VALUE)
                .onNextAction(item -> {
                    try {
                        release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 3, "interval", 1))).subscribe(blocked);
        blocked.awaitItems(1, WAIT);

        RecordingSubscriber<ExecutionResult> other = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 3, "interval", 1))).subscribe(other);
        assertThat(await(connection.execute(Gql.gql("{ counter }"))).errors()).isEmpty();
        other.awaitTermination(WAIT);
        assertThat(blocked.items()).hasSize(1);

        release.countDown();
        blocked.awaitTermination(WAIT);
        assertThat(values(blocked.items())).containsExactly(3, 2, 1, 0);
    }

    @Test
    void worksThroughTheSessionApi() {
        Client client = Client.builder().transport(TestEngines.ws(server.webSocketUri()).build()).build();
        try (Session session = client.connect()) {
            assertThat(session.execute(Gql.gql("{ continent(code: \"OC\") { name } }")))
                    .isEqualTo(Map.of("continent", Map.of("name", "Oceania")));
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            session.subscribe(COUNTDOWN.withVariables(Map.of("from", 2))).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.items()).containsExactly(Map.of("countdown", 2), Map.of("countdown", 1),
                    Map.of("countdown", 0));
        }
        AsyncSession async = await(client.connectAsync());
        assertThat(await(async.execute(Gql.gql("{ counter }")))).containsKey("counter");
        await(client.closeAsync());
    }

    static List<Integer> values(List<ExecutionResult> results) {
        return results.stream().map(result -> ((Number) result.data().get("countdown")).intValue()).toList();
    }
}

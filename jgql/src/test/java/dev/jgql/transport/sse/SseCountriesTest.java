package dev.jgql.transport.sse;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.jgql.transport.sse.SseTesting.WAIT;
import static dev.jgql.transport.sse.SseTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The happy paths of graphql-sse against a real server: the embedded countries backend. */
@Timeout(60)
class SseCountriesTest {
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
        connection = SseTesting.connect(SseTesting.sse(server.httpUri()).build(), scheduler);
    }

    @AfterEach
    void close() {
        await(connection.close());
        scheduler.shutdownNow();
    }

    @Test
    void runsAQuery() {
        ExecutionResult result = await(connection.execute(Gql.gql("{ continent(code: \"EU\") { name } }")));
        assertThat(result.errors()).isEmpty();
        assertThat(result.data()).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        assertThat(result.httpStatus()).hasValue(200);
        assertThat(result.headers().get("content-type")).anySatisfy(type -> assertThat(type).startsWith("text/event-stream"));
    }

    @Test
    void runsAMutationOnce() {
        GraphQLRequest increment = Gql.gql("mutation inc($id: String) { increment(by: 2, requestId: $id) }")
                .withVariables(Map.of("id", "sse-once"));
        ExecutionResult result = await(connection.execute(increment));
        assertThat(result.data()).containsKey("increment");
        assertThat(server.timesApplied("sse-once")).isEqualTo(1);
    }

    @Test
    void reportsValidationErrorsStreamedInsideTheStream() {
        ExecutionResult result = await(connection.execute(Gql.gql("{ continent(code: \"EU\") { nope } }")));
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.errors().get(0).message()).contains("nope");
    }

    @Test
    void streamsASubscriptionToItsEnd() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 3, "interval", 5))).subscribe(events);
        events.awaitTermination(WAIT);
        assertThat(events.error()).isNull();
        assertThat(events.items()).extracting(result -> result.data().get("countdown")).containsExactly(3, 2, 1, 0);
        assertThat(events.violations()).isEmpty();
    }

    @Test
    void cancellingStopsTheServersStream() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(COUNTDOWN.withVariables(Map.of("from", 100_000, "interval", 5))).subscribe(events);
        events.awaitItems(2, WAIT);
        assertThat(server.activeCountdowns()).isEqualTo(1);
        events.cancel();
        SseTestingWait.until(() -> server.activeCountdowns() == 0, "the server stopped the countdown");
    }

    @Test
    void executeOfADeferredQueryReturnsTheMergedData() {
        GraphQLRequest deferred = Gql.gql("{ continent(code: \"OC\") { name ... @defer(label: \"later\") { code } } }");
        ExecutionResult result = await(connection.execute(deferred));
        assertThat(result.errors()).isEmpty();
        assertThat(result.data()).isEqualTo(Map.of("continent", Map.of("name", "Oceania", "code", "OC")));
    }

    @Test
    void subscribingToADeferredQueryShowsTheDataGrow() {
        GraphQLRequest deferred = Gql.gql("{ continent(code: \"OC\") { name ... @defer { code } } }");
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(deferred).subscribe(events);
        events.awaitTermination(WAIT);
        assertThat(events.error()).isNull();
        List<ExecutionResult> items = events.items();
        assertThat(items).hasSize(2);
        assertThat(items.get(0).data()).isEqualTo(Map.of("continent", Map.of("name", "Oceania")));
        assertThat(items.get(1).data()).isEqualTo(Map.of("continent", Map.of("name", "Oceania", "code", "OC")));
    }

    @Test
    void aPermanentSessionRunsEverythingOverSse() {
        try (Client client = Client.builder().transport(SseTesting.sse(server.httpUri()).build()).build()) {
            ReconnectingSession session = await(client.connectAsync(Reconnect.defaults()));
            assertThat(await(session.execute(Gql.gql("{ country(code: \"GR\") { name } }"))))
                    .isEqualTo(Map.of("country", Map.of("name", "Greece")));
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            session.subscribe(COUNTDOWN.withVariables(Map.of("from", 2, "interval", 5))).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.items()).extracting(data -> data.get("countdown")).containsExactly(2, 1, 0);
        }
    }
}

package dev.jgql.transport.local;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportQueryException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions on the local schema transport: graphql-java's publisher behind a Flow publisher,
 * with the subscriber's demand passed on unchanged, cancellation, and every way a stream ends.
 */
@Timeout(30)
class LocalSchemaSubscriptionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final GraphQLRequest COUNTDOWN = gql("subscription Countdown($from: Int!) { countdown(from: $from) }");

    private final LocalCountries backend = new LocalCountries();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final TransportConnection connection = LocalSchemaTransport.of(backend.graphQL())
            .connect(TransportContext.of(scheduler, scheduler.clock(), GraphQLJson.defaultMapper())).join();

    @AfterEach
    void close() {
        connection.close().join();
    }

    private static GraphQLRequest countdown(int from) {
        return COUNTDOWN.withVariables(Map.of("from", from));
    }

    private static List<Object> values(List<ExecutionResult> events) {
        return events.stream().map(event -> event.data().get("countdown")).toList();
    }

    @Test
    void everyEventArrivesInOrderThenTheStreamCompletes() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);

        connection.subscribe(countdown(3)).subscribe(events);

        events.awaitTermination(WAIT);
        assertThat(events.isCompleted()).isTrue();
        assertThat(values(events.items())).containsExactly(3, 2, 1, 0);
        assertThat(events.violations()).isEmpty();
    }

    @Test
    void nothingRunsBeforeTheFirstRequestAndTheSourceProducesOnlyWhatWasRequested() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>();
        connection.subscribe(countdown(5)).subscribe(events);
        events.awaitSubscription(WAIT);
        assertThat(backend.countdownsStarted).as("started before any request").hasValue(0);

        events.request(1);
        assertThat(values(events.awaitItems(1, WAIT))).containsExactly(5);
        assertThat(backend.countdownRequested).hasValue(1);

        events.request(2);
        assertThat(values(events.awaitItems(3, WAIT))).containsExactly(5, 4, 3);
        assertThat(backend.countdownRequested).hasValue(3);
        assertThat(events.items()).hasSize(3);

        events.cancel();
        assertThat(backend.countdownsCancelled).hasValue(1);
        events.request(10);
        assertThat(events.items()).as("nothing after cancel").hasSize(3);
        assertThat(events.isTerminated()).isFalse();
        assertThat(backend.countdownRequested).as("nothing requested after cancel").hasValue(3);
        assertThat(events.violations()).isEmpty();
    }

    @Test
    void aSubscriptionTheSchemaRefusesEndsWithTransportQueryException() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(1);

        connection.subscribe(countdown(101)).subscribe(events);

        assertThat(events.awaitError(WAIT)).isInstanceOfSatisfying(TransportQueryException.class, e ->
                assertThat(e.errors()).singleElement().satisfies(error ->
                        assertThat(error.message()).contains("countdown from at most 100, not 101")));
        assertThat(events.items()).isEmpty();
    }

    @Test
    void aSubscriptionWithAnInvalidDocumentEndsWithTransportQueryException() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(1);

        connection.subscribe(gql("subscription { countdown }")).subscribe(events);

        assertThat(events.awaitError(WAIT)).isInstanceOf(TransportQueryException.class)
                .hasMessageContaining("Validation error").hasMessageContaining("from");
    }

    @Test
    void aSourceStreamThatFailsEndsWithTransportQueryExceptionCarryingTheException() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(1);

        connection.subscribe(countdown(-1)).subscribe(events);

        assertThat(events.awaitError(WAIT)).isInstanceOfSatisfying(TransportQueryException.class, e -> {
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.message()).isEqualTo("countdown source broke");
                assertThat(error.extensions()).containsEntry("exception", IllegalStateException.class.getName());
            });
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void closingTheConnectionEndsItsStreamsWithTransportClosedExceptionAndStopsTheirSources() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(1);
        connection.subscribe(countdown(5)).subscribe(events);
        events.awaitItems(1, WAIT);

        connection.close().join();

        assertThat(events.awaitError(WAIT)).isExactlyInstanceOf(TransportClosedException.class)
                .hasMessageContaining("closed by the client");
        assertThat(backend.countdownsCancelled).hasValue(1);

        RecordingSubscriber<ExecutionResult> late = new RecordingSubscriber<>(1);
        connection.subscribe(countdown(5)).subscribe(late);
        assertThat(late.awaitError(WAIT)).isInstanceOf(TransportClosedException.class);
        assertThat(backend.countdownsStarted).as("nothing started once closed").hasValue(1);
    }

    @Test
    void anInvalidRequestEndsTheStreamAndStopsTheSource() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(1);
        connection.subscribe(countdown(5)).subscribe(events);
        events.awaitItems(1, WAIT);

        events.request(0);

        assertThat(events.awaitError(WAIT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
        assertThat(backend.countdownsCancelled).hasValue(1);
    }

    @Test
    void subscribingToAQueryGivesItsOneResultThenCompletes() {
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(5);

        connection.subscribe(gql("{ continent(code: \"EU\") { name } }")).subscribe(events);

        events.awaitTermination(WAIT);
        assertThat(events.isCompleted()).isTrue();
        assertThat(events.items()).extracting(ExecutionResult::data)
                .containsExactly(Map.of("continent", Map.of("name", "Europe")));
    }

    @Test
    void eachSubscriberGetsItsOwnRunOfTheOperation() {
        RecordingSubscriber<ExecutionResult> first = new RecordingSubscriber<>(Long.MAX_VALUE);
        RecordingSubscriber<ExecutionResult> second = new RecordingSubscriber<>(Long.MAX_VALUE);
        var publisher = connection.subscribe(countdown(1));

        publisher.subscribe(first);
        publisher.subscribe(second);

        first.awaitTermination(WAIT);
        second.awaitTermination(WAIT);
        assertThat(values(first.items())).containsExactly(1, 0);
        assertThat(values(second.items())).containsExactly(1, 0);
        assertThat(backend.countdownsStarted).hasValue(2);
    }

    @Test
    void aPlainSessionStreamsWithBackPressureAndCancels() {
        try (Client client = Client.builder().transport(LocalSchemaTransport.of(backend.graphQL())).build();
             Session session = client.connect()) {
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(2);

            session.subscribe(countdown(10)).subscribe(events);

            assertThat(events.awaitItems(2, WAIT)).containsExactly(Map.of("countdown", 10), Map.of("countdown", 9));
            assertThat(backend.countdownRequested).as("the session passes the demand on").hasValue(2);
            events.cancel();
            await().atMost(WAIT).untilAsserted(() -> assertThat(backend.countdownsCancelled).hasValue(1));
            assertThat(events.violations()).isEmpty();
        }
    }

    @Test
    void thePermanentSessionStreamsASubscriptionToItsEnd() {
        Client client = Client.builder().transport(LocalSchemaTransport.of(backend.graphQL())).build();
        try {
            ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);

            session.subscribe(COUNTDOWN, Map.of("from", 2)).subscribe(events);

            events.awaitTermination(WAIT);
            assertThat(events.isCompleted()).isTrue();
            assertThat(events.items()).containsExactly(Map.of("countdown", 2), Map.of("countdown", 1), Map.of("countdown", 0));
        } finally {
            client.closeAsync().join();
        }
    }

    @Test
    void closingThePermanentSessionEndsItsSubscriptions() {
        Client client = Client.builder().transport(LocalSchemaTransport.of(backend.graphQL())).build();
        ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
        RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(1);
        session.subscribe(COUNTDOWN, Map.of("from", 5)).subscribe(events);
        events.awaitItems(1, WAIT);

        client.closeAsync().join();

        assertThat(events.awaitError(WAIT)).isInstanceOf(TransportClosedException.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(backend.countdownsCancelled).hasValue(1));
    }
}

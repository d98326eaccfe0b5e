package dev.jgql.transport.sse;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.support.StreamScriptServer;
import dev.jgql.transport.support.StreamScriptServer.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.jgql.transport.sse.SseTesting.WAIT;
import static dev.jgql.transport.sse.SseTesting.await;
import static dev.jgql.transport.sse.SseTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults of graphql-sse streams, scripted byte for byte on a loopback server. */
@Timeout(60)
class SseFaultTest {
    private static final String STREAM = "text/event-stream; charset=utf-8";
    private static final GraphQLRequest QUERY = Gql.gql("{ hello }");
    private static final GraphQLRequest TICKS = Gql.gql("subscription { tick }");

    private StreamScriptServer server;
    private ScheduledExecutorService scheduler;
    private TransportConnection connection;

    @org.junit.jupiter.api.AfterAll
    static void noThreadLeft() {
        dev.jgql.transport.http.LeakChecks.assertNoJgqlThreadLeft(); // every HttpClient and stream thread of this class ended
    }

    @BeforeEach
    void start() throws Exception {
        server = StreamScriptServer.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        connection = SseTesting.connect(SseTesting.sse(server.uri()).build(), scheduler);
    }

    @AfterEach
    void stop() throws Exception {
        await(connection.close());
        scheduler.shutdownNow();
        server.close();
    }

    private static String next(String json) {
        return "event: next\ndata: " + json + "\n\n";
    }

    private static final String COMPLETE = "event: complete\ndata:\n\n";

    @Test
    void sendsExactlyTheAcceptThatGraphqlSseRecognises() throws Exception {
        server.enqueue(StreamScriptServer.script(200, STREAM).write(":\n\n" + next("{\"data\":{\"hello\":\"world\"}}") + COMPLETE));
        assertThat(await(connection.execute(QUERY)).data()).isEqualTo(Map.of("hello", "world"));
        String request = server.takeRequest(WAIT);
        assertThat(request).startsWith("POST /graphql").containsIgnoringCase("\r\naccept: text/event-stream\r\n")
                .containsIgnoringCase("content-type: application/json").contains("\"query\":\"{ hello }\"");
    }

    @Test
    void anEventSplitAcrossWritesArrivesWhole() {
        Script script = StreamScriptServer.script(200, STREAM)
                .write(next("{\"data\":{\"tick\":1}}") + "event: ne").pause()
                .write("xt\r\ndata: {\"data\":{\"ti").pause()
                .write("ck\":2}}\r\n\r\n" + COMPLETE);
        server.enqueue(script);
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(TICKS).subscribe(events);
        events.awaitItems(1, WAIT);
        script.release();
        script.release();
        events.awaitTermination(WAIT);
        assertThat(events.error()).isNull();
        assertThat(events.items()).extracting(result -> result.data().get("tick")).containsExactly(1, 2);
    }

    @Test
    void anEventThatIsNotJsonEndsTheOperationClearly() {
        server.enqueue(StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"tick\":1}}") + next("<html>oops"))
                .silence());
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(TICKS).subscribe(events);
        Throwable error = events.awaitError(WAIT);
        assertThat(error).isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("'next' event").hasMessageContaining("abandoned");
        assertThat(events.items()).hasSize(1);
        SseTestingWait.until(() -> server.openConnections() == 0, "the abandoned stream's connection was closed");

        server.enqueue(StreamScriptServer.script(200, STREAM).write(next("not json at all")).silence());
        assertThat(failure(connection.execute(QUERY))).isInstanceOf(TransportProtocolException.class);
    }

    @Test
    void aStreamThatEndsWithoutCompleteIsABrokenLink() {
        server.enqueue(StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"tick\":1}}") + "event: next\ndata: {"));
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(TICKS).subscribe(events);
        Throwable error = events.awaitError(WAIT);
        assertThat(error).isInstanceOf(TransportConnectionFailedException.class)
                .hasMessageContaining("ended before its 'complete' event, in the middle of an event");
        assertThat(((TransportConnectionFailedException) error).requestMayHaveBeenSent()).isTrue();
        assertThat(events.items()).hasSize(1);
    }

    @Test
    void aSilentStreamIsADeadLinkAfterTheIdleTimeoutOnFakeTime() throws Exception {
        FakeScheduler fake = new FakeScheduler();
        TransportConnection watched = SseTesting.connect(SseTesting.sse(server.uri()).idleTimeout(Duration.ofSeconds(30))
                .build(), fake);
        try {
            // Headers, then nothing: the limit runs from the request (headers are not activity), whenever they arrive.
            server.enqueue(StreamScriptServer.script(200, STREAM).silence());
            CompletableFuture<ExecutionResult> result = watched.execute(Gql.gql("mutation { increment }"));
            server.takeRequest(WAIT);
            fake.advance(Duration.ofSeconds(29));
            assertThat(result).isNotDone();
            fake.advance(Duration.ofSeconds(2));
            Throwable error = failure(result);
            assertThat(error).isInstanceOf(TransportConnectionFailedException.class)
                    .hasMessageContaining("dead link").hasMessageContaining("idleTimeout 30000 ms");
            assertThat(((TransportConnectionFailedException) error).requestMayHaveBeenSent())
                    .as("a mutation that may have been applied is never sent again").isTrue();
            SseTestingWait.until(() -> server.openConnections() == 0, "the dead stream's connection was closed");
        } finally {
            await(watched.close());
        }
    }

    @Test
    void aGraphQLErrorBeforeTheStreamIsAResultAndOtherRefusalsAreServerErrors() {
        server.enqueue(StreamScriptServer.script(400, "application/json")
                .write("{\"errors\":[{\"message\":\"Syntax Error: Unexpected Name\"}]}"));
        ExecutionResult refused = await(connection.execute(QUERY));
        assertThat(refused.httpStatus()).hasValue(400);
        assertThat(refused.errors().get(0).message()).contains("Syntax Error");

        server.enqueue(StreamScriptServer.script(400, "application/json")
                .write("{\"errors\":[{\"message\":\"Operation ID is missing\"}]}"));
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(TICKS).subscribe(events);
        assertThat(events.awaitError(WAIT)).isInstanceOf(TransportQueryException.class)
                .hasMessageContaining("Operation ID is missing");

        server.enqueue(StreamScriptServer.script(404, "text/plain").write("no such page"));
        Throwable notFound = failure(connection.execute(QUERY));
        assertThat(notFound).isInstanceOf(TransportServerException.class).hasMessageContaining("HTTP 404")
                .hasMessageContaining("check the endpoint URL");
        assertThat(((TransportServerException) notFound).statusCode()).isEqualTo(404);
    }

    @Test
    void theSessionNeverSendsAMutationTwiceButRetriesAQuery() throws Exception {
        try (Client client = Client.builder().transport(SseTesting.sse(server.uri()).build()).build()) {
            ReconnectingSession session = await(client.connectAsync(Reconnect.defaults()));
            server.enqueue(StreamScriptServer.script(200, STREAM).write(":\n\n")); // ends at once: no result
            Throwable mutation = failure(session.execute(Gql.gql("mutation { increment }")));
            assertThat(mutation).isInstanceOf(TransportClosedException.class);

            server.enqueue(StreamScriptServer.script(200, STREAM).write(":\n\n"),
                    StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"__typename\":\"Query\"}}") + COMPLETE),
                    StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"hello\":\"again\"}}") + COMPLETE));
            assertThat(await(session.execute(QUERY))).isEqualTo(Map.of("hello", "again"));
            // The session's reconnect probes may reach the server at any moment after the failure:
            // what counts is that no request but the first carried the mutation.
            List<String> received = new ArrayList<>();
            for (int i = server.requestCount(); i > 0; i--) {
                received.add(server.takeRequest(WAIT));
            }
            assertThat(received).filteredOn(request -> request.contains("increment")).as("the mutation was sent once")
                    .hasSize(1);
            assertThat(received.get(0)).contains("increment");
        }
    }

    @Test
    void aBrokenSubscriptionIsResubscribedWhenTheSessionIsAskedTo() {
        server.enqueue(StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"tick\":1}}")),
                StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"__typename\":\"Query\"}}") + COMPLETE),
                StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"tick\":2}}") + COMPLETE));
        try (Client client = Client.builder().transport(SseTesting.sse(server.uri()).build()).build()) {
            ReconnectingSession session = await(client.connectAsync(Reconnect.builder().resubscribe().build()));
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            session.subscribe(TICKS).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.error()).isNull();
            assertThat(events.items()).extracting(data -> data.get("tick")).containsExactly(1, 2);
            assertThat(server.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void withoutResubscribeABrokenSubscriptionEndsWithTransportClosed() {
        server.enqueue(StreamScriptServer.script(200, STREAM).write(next("{\"data\":{\"tick\":1}}")));
        try (Client client = Client.builder().transport(SseTesting.sse(server.uri()).build()).build()) {
            ReconnectingSession session = await(client.connectAsync(Reconnect.defaults()));
            RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            session.subscribe(TICKS).subscribe(events);
            assertThat(events.awaitError(WAIT)).isInstanceOf(TransportClosedException.class);
            assertThat(events.items()).hasSize(1);
        }
    }
}

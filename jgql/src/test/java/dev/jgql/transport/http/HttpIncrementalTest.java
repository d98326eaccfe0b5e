package dev.jgql.transport.http;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.ReconnectingSession;
import dev.jgql.Reconnect;
import dev.jgql.TestEngines;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.StreamScriptServer;
import dev.jgql.transport.support.StreamScriptServer.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental delivery ({@code @defer}/{@code @stream} as {@code multipart/mixed}) and Apollo's
 * multipart subscriptions over the HTTP transport: against the countries backend, and faults
 * scripted byte for byte.
 */
@Timeout(60)
class HttpIncrementalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final GraphQLRequest DEFERRED = gql("{ continent(code: \"OC\") { name ... @defer(label: \"D\") { code } } }");
    private static final String GEN3 = "multipart/mixed; boundary=\"-\"; incrementalSpec=v0.2";
    private static final Map<String, Object> FINAL = Map.of("hello", "world", "list", List.of(0, 1, 2), "slow", "slow");
    private static final String PART = "\r\ncontent-type: application/json; charset=utf-8\r\n\r\n";

    private static CountriesServer backend;
    private StreamScriptServer scripted;
    private ScheduledExecutorService scheduler;
    private TransportConnection connection;

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @BeforeEach
    void start() throws Exception {
        scripted = StreamScriptServer.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        connection = connect(TestEngines.http(scripted.uri()).build());
    }

    @AfterEach
    void stop() throws Exception {
        await(connection.close());
        scheduler.shutdownNow();
        scripted.close();
    }

    private TransportConnection connect(HttpTransport transport) {
        return await(transport.connect(TransportContext.of(scheduler, Clock.systemUTC(), GraphQLJson.defaultMapper())));
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("The future did not give a value: " + e, e);
        }
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("Expected a failure but got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Apollo Server 5's transcript: each part closed by its delimiter at once, the last one by the closing one. */
    private static Script apolloGen3() {
        return StreamScriptServer.script(200, GEN3)
                .write("\r\n---" + PART + "{\"data\":{\"hello\":\"world\",\"list\":[0]},\"pending\":[{\"id\":\"0\",\"path\":[\"list\"]},"
                        + "{\"id\":\"1\",\"path\":[],\"label\":\"D\"}],\"hasNext\":true}\r\n---")
                .write(PART + "{\"hasNext\":true,\"incremental\":[{\"id\":\"0\",\"items\":[1]}]}\r\n---")
                .write(PART + "{\"hasNext\":true,\"incremental\":[{\"id\":\"0\",\"items\":[2]}]}\r\n--").pause()
                .write("-" + PART + "{\"hasNext\":true,\"completed\":[{\"id\":\"0\"}]}\r\n---")
                .write(PART + "{\"hasNext\":false,\"incremental\":[{\"data\":{\"slow\":\"slow\"},\"id\":\"1\"}],"
                        + "\"completed\":[{\"id\":\"1\"}]}\r\n-----\r\n");
    }

    // ------------------------------------------------------------------ the countries backend

    @Test
    void executeOfADeferredQueryReturnsTheMergedDataFromTheBackend() {
        try (Client client = Client.builder().transport(TestEngines.http(backend.httpUri()).build()).build()) {
            ReconnectingSession session = await(client.connectAsync(Reconnect.defaults()));
            assertThat(await(session.execute(DEFERRED))).isEqualTo(Map.of("continent", Map.of("name", "Oceania", "code", "OC")));
        }
    }

    @Test
    void aSubscriptionToADeferredQueryShowsTheDataGrow() {
        TransportConnection http = connect(TestEngines.http(backend.httpUri()).build());
        try {
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            http.subscribe(DEFERRED).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.error()).isNull();
            assertThat(events.items()).extracting(ExecutionResult::data).containsExactly(
                    Map.of("continent", Map.of("name", "Oceania")),
                    Map.of("continent", Map.of("name", "Oceania", "code", "OC")));
        } finally {
            await(http.close());
        }
    }

    @Test
    void multipartSubscriptionsFromTheBackendWhenTurnedOn() {
        TransportConnection http = connect(TestEngines.http(backend.httpUri()).multipartSubscriptions(true).build());
        try {
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            http.subscribe(gql("subscription { countdown(from: 3, intervalMs: 5) }")).subscribe(events);
            events.awaitTermination(WAIT);
            assertThat(events.error()).isNull();
            assertThat(events.items()).extracting(result -> result.data().get("countdown")).containsExactly(3, 2, 1, 0);
        } finally {
            await(http.close());
        }
    }

    // ------------------------------------------------------------------ scripted

    @Test
    void mergesTheApolloFormatSplitInTheMiddleOfADelimiter() throws Exception {
        Script script = apolloGen3();
        scripted.enqueue(script);
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(gql("{ hello ... @defer(label: \"D\") { slow } list @stream(initialCount: 1) }")).subscribe(events);
        events.awaitItems(2, WAIT);
        // The third part ends with "\r\n--": without a Content-Length it is complete only with its whole delimiter.
        assertThat(events.items()).hasSize(2);
        script.release();
        events.awaitTermination(WAIT);
        assertThat(events.error()).isNull();
        assertThat(events.items()).hasSize(5);
        assertThat(events.items().get(2).data()).isEqualTo(Map.of("hello", "world", "list", List.of(0, 1, 2)));
        assertThat(events.items().get(4).data()).isEqualTo(FINAL);
        assertThat(scripted.takeRequest(WAIT)).containsIgnoringCase("accept: " + HttpTransport.INCREMENTAL_ACCEPT);

        Script again = apolloGen3();
        scripted.enqueue(again);
        again.release();
        assertThat(await(connection.execute(gql("{ hello ... @defer { slow } list @stream(initialCount: 1) }"))).data())
                .isEqualTo(FINAL);
    }

    @Test
    void aMissingClosingDelimiterIsFineAfterTheLastPartButNotBefore() {
        scripted.enqueue(StreamScriptServer.script(200, "multipart/mixed; boundary=\"-\"")
                .write("\r\n---" + PART + "{\"data\":{\"a\":{}},\"hasNext\":true}\r\n---" + PART
                        + "{\"incremental\":[{\"data\":{\"b\":1},\"path\":[\"a\"]}],\"hasNext\":false}\r\n"));
        assertThat(await(connection.execute(gql("{ a { ... @defer { b } } }"))).data()).isEqualTo(Map.of("a", Map.of("b", 1)));

        scripted.enqueue(StreamScriptServer.script(200, "multipart/mixed; boundary=\"-\"")
                .write("\r\n---" + PART + "{\"data\":{\"a\":{}},\"hasNext\":true}\r\n---"));
        Throwable truncated = failure(connection.execute(gql("{ a { ... @defer { b } } }")));
        assertThat(truncated).isInstanceOf(TransportConnectionFailedException.class)
                .hasMessageContaining("ended before its last part");

        scripted.enqueue(StreamScriptServer.script(200, "multipart/mixed; boundary=\"-\"")
                .write("\r\n---" + PART + "{\"data\":{\"a\":{}},\"hasN"));
        assertThat(failure(connection.execute(gql("{ a { ... @defer { b } } }"))))
                .isInstanceOf(TransportConnectionFailedException.class).hasMessageContaining("in the middle of part 1");
    }

    @Test
    void aPartThatIsNotJsonAndARefusalBeforeTheStreamAreClear() {
        scripted.enqueue(StreamScriptServer.script(200, "multipart/mixed; boundary=\"-\"")
                .write("\r\n---" + PART + "<html>proxy error</html>\r\n---").silence());
        assertThat(failure(connection.execute(gql("{ a { ... @defer { b } } }"))))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("Part 1").hasMessageContaining("abandoned");

        scripted.enqueue(StreamScriptServer.script(406, "application/json")
                .write("{\"errors\":[{\"message\":\"Accept multipart/mixed; incrementalSpec=v0.2 or application/json\"}]}"));
        ExecutionResult refused = await(connection.execute(gql("{ a { ... @defer { b } } }")));
        assertThat(refused.httpStatus()).hasValue(406);
        assertThat(refused.errors().get(0).message()).contains("incrementalSpec");

        scripted.enqueue(StreamScriptServer.script(502, "text/html").write("<html>bad gateway</html>"));
        assertThat(failure(connection.execute(gql("{ a { ... @defer { b } } }")))).isInstanceOf(TransportServerException.class);
    }

    @Test
    void apolloMultipartSubscriptionsWithHeartbeatsAndATransportError() throws Exception {
        TransportConnection http = connect(TestEngines.http(scripted.uri()).multipartSubscriptions(true).build());
        try {
            scripted.enqueue(StreamScriptServer.script(200, "multipart/mixed;boundary=\"graphql\";subscriptionSpec=1.0")
                    .write("\r\n--graphql" + PART + "{}\r\n--graphql" + PART + "{\"payload\":{\"data\":{\"n\":1}}}\r\n--graphql")
                    .write(PART + "{}\r\n--graphql" + PART + "{\"payload\":null,\"errors\":[{\"message\":\"router lost the "
                            + "subgraph\"}]}\r\n--graphql--\r\n"));
            RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
            http.subscribe(gql("subscription { n }")).subscribe(events);
            Throwable error = events.awaitError(WAIT);
            assertThat(error).isInstanceOf(TransportQueryException.class).hasMessageContaining("router lost the subgraph");
            assertThat(events.items()).extracting(result -> result.data().get("n")).containsExactly(1);
            assertThat(scripted.takeRequest(WAIT)).containsIgnoringCase("accept: multipart/mixed;subscriptionSpec=1.0");

            scripted.enqueue(StreamScriptServer.script(200, "multipart/mixed;boundary=\"graphql\";subscriptionSpec=1.0")
                    .write("\r\n--graphql" + PART + "{\"payload\":{\"data\":{\"n\":2}}}\r\n--graphql"));
            RecordingSubscriber<ExecutionResult> dropped = new RecordingSubscriber<>(Long.MAX_VALUE);
            http.subscribe(gql("subscription { n }")).subscribe(dropped);
            assertThat(dropped.awaitError(WAIT)).isInstanceOf(TransportClosedException.class)
                    .hasMessageContaining("without its closing delimiter");
            assertThat(dropped.items()).hasSize(1);
        } finally {
            await(http.close());
        }
    }
}

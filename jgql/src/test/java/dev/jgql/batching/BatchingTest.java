package dev.jgql.batching;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.AsyncSession;
import dev.jgql.BackendTestSupport;
import dev.jgql.Batching;
import dev.jgql.BatchingNotSupportedException;
import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.PersistedQueries;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.ScriptedHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Explicit and automatic batches, against the countries backend (batching on) and a scripted server. */
@Timeout(60)
class BatchingTest extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphQLRequest CONTINENT = gql("query Continent($code: ID!) { continent(code: $code) { name } }");
    private static final GraphQLRequest HELLO = gql("query Hello { hello }");


    /** A client that records how many calls each attempt carried (1 for a call on its own). */
    private Client.Builder recording(java.net.URI uri, List<Integer> attempts) {
        return Client.builder()
                .transport(TestEngines.http(uri).build())
                .attemptInterceptor((call, chain) -> {
                    Object batch = call.attributes().get("jgql.batch");
                    attempts.add(batch instanceof List<?> list ? list.size() : 1);
                    return chain.proceed(call);
                });
    }

    @Test
    void oneRequestCarriesTheBatchAndAResultWithErrorsFailsNoOther() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Client client = closeLater(recording(backend.httpUri(), attempts).build());

        List<ExecutionResult> results;
        try (Session session = client.connect()) {
            results = session.executeBatch(List.of(
                    CONTINENT.withVariables(Map.of("code", "EU")),
                    gql("query Broken { nope }"),
                    CONTINENT.withVariables(Map.of("code", "AF"))));
        }

        assertThat(attempts).containsExactly(3);
        assertThat(results).hasSize(3);
        assertThat(results.get(0).data()).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        assertThat(results.get(1).hasErrors()).isTrue();
        assertThat(results.get(1).errors().get(0).message()).contains("nope");
        assertThat(results.get(2).data()).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
    }

    @Test
    void theBodyIsAJsonArrayInOrder() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        server.enqueue(ScriptedHttpServer.Response.json(200, "[{\"data\":{\"hello\":\"a\"}},{\"data\":{\"hello\":\"b\"}}]"));
        Client client = closeLater(Client.builder().transport(TestEngines.http(server.uri()).build()).build());

        try (Session session = client.connect()) {
            assertThat(session.executeBatch(List.of(HELLO, CONTINENT.withVariables(Map.of("code", "EU")))))
                    .extracting(ExecutionResult::data)
                    .containsExactly(Map.of("hello", "a"), Map.of("hello", "b"));
        }

        ScriptedHttpServer.RecordedRequest sent = server.takeRequest(WAIT);
        assertThat(sent.header("Content-Type")).contains("application/json");
        List<Object> body = JSON.readValue(sent.body(), new com.fasterxml.jackson.core.type.TypeReference<List<Object>>() { });
        assertThat(body).containsExactly(Map.of("query", HELLO.document()),
                Map.of("query", CONTINENT.document(), "variables", Map.of("code", "EU")));
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aServerThatRefusesBatchesSaysSo() {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        server.enqueue(
                // Yoga without batching
                ScriptedHttpServer.Response.json(400, "{\"errors\":[{\"message\":\"Batching is not supported.\"}]}"),
                // a plain-text refusal (Vert.x)
                ScriptedHttpServer.Response.text(400, "text/plain", "Bad Request"),
                // a server that reads only the first request
                ScriptedHttpServer.Response.json(200, "{\"data\":{\"hello\":\"a\"}}"),
                // the wrong count
                ScriptedHttpServer.Response.json(200, "[{\"data\":{\"hello\":\"a\"}}]"));
        Client client = closeLater(Client.builder().transport(TestEngines.http(server.uri()).build()).build());
        List<GraphQLRequest> two = List.of(HELLO, HELLO);

        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.executeBatch(two))
                    .isInstanceOf(BatchingNotSupportedException.class)
                    .hasMessageContaining("Batching is not supported.")
                    .hasMessageContaining("the server does not take batches");
            assertThatThrownBy(() -> session.executeBatch(two))
                    .isInstanceOf(BatchingNotSupportedException.class)
                    .hasMessageContaining("HTTP 400 (Bad Request)");
            assertThatThrownBy(() -> session.executeBatch(two))
                    .isInstanceOf(BatchingNotSupportedException.class)
                    .hasMessageContaining("a single result, not an array");
            assertThatThrownBy(() -> session.executeBatch(two))
                    .isInstanceOf(TransportProtocolException.class)
                    .isNotInstanceOf(BatchingNotSupportedException.class)
                    .hasMessageContaining("batch of 2 requests holds 1 results");
        }
    }

    @Test
    void thePermanentSessionRetriesABatchOfQueriesButNotOneHoldingAMutation() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        AtomicInteger batches = new AtomicInteger();
        server.handler(request -> {
            if (request.body().contains("jgqlProbe")) { // the permanent session checks the server is back
                return ScriptedHttpServer.Response.json(200, "{\"data\":{\"__typename\":\"Query\"}}");
            }
            // the first and third batches are cut off before their answer
            return batches.incrementAndGet() % 2 == 1 ? ScriptedHttpServer.Response.closeWithoutResponse()
                    : ScriptedHttpServer.Response.json(200, "[{\"data\":{\"hello\":\"a\"}},{\"data\":{\"hello\":\"b\"}}]");
        });
        Client client = closeLater(Client.builder()
                .transport(TestEngines.http(server.uri()).build())
                .build());
        ReconnectingSession session = client.connectAsync(Reconnect.builder()
                .retryExecute(dev.failsafe.RetryPolicy.builder().handle(Exception.class).withMaxRetries(3).build())
                .build()).get(10, TimeUnit.SECONDS);

        assertThat(session.executeBatch(List.of(HELLO, HELLO)).get(10, TimeUnit.SECONDS))
                .extracting(ExecutionResult::data).containsExactly(Map.of("hello", "a"), Map.of("hello", "b"));
        assertThat(batches).hasValue(2);

        CompletableFuture<List<ExecutionResult>> withMutation = session.executeBatch(
                List.of(HELLO, gql("mutation Inc { increment }")));
        assertThatThrownBy(() -> withMutation.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TransportConnectionFailedException.class);
        assertThat(batches).hasValue(3); // sent once, never again
    }

    @Test
    void automaticBatchingGathersCallsUpToTheMaximumAndEachCallerGetsItsOwnAnswer() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Client client = closeLater(recording(backend.httpUri(), attempts)
                .batching(Batching.of(Duration.ofSeconds(30), 3))
                .build());
        AsyncSession session = client.connectAsync().get(10, TimeUnit.SECONDS);

        List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
        for (String code : List.of("EU", "AF", "AS")) {
            calls.add(session.execute(CONTINENT, Map.of("code", code)));
        }
        CompletableFuture<Map<String, Object>> broken = session.execute(gql("query Broken { nope }"));
        CompletableFuture<Map<String, Object>> last = session.execute(CONTINENT, Map.of("code", "OC"));
        CompletableFuture<Map<String, Object>> fifth = session.execute(CONTINENT, Map.of("code", "SA"));

        assertThat(calls.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        assertThat(calls.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
        assertThat(calls.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Asia")));
        assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TransportQueryException.class);
        assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Oceania")));
        assertThat(fifth.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "South America")));
        assertThat(attempts).containsExactly(3, 3);
        session.closeAsync().get(10, TimeUnit.SECONDS);
    }

    @Test
    void automaticBatchingSendsWhatItGatheredWhenTheIntervalEnds() throws Exception {
        FakeScheduler scheduler = new FakeScheduler();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Client client = closeLater(recording(backend.httpUri(), attempts)
                .batching(Batching.of(Duration.ofMillis(10), 10))
                .scheduler(scheduler)
                .clock(scheduler.clock())
                .build());
        AsyncSession session = client.connectAsync().get(10, TimeUnit.SECONDS);

        CompletableFuture<Map<String, Object>> europe = session.execute(CONTINENT, Map.of("code", "EU"));
        CompletableFuture<Map<String, Object>> africa = session.execute(CONTINENT, Map.of("code", "AF"));
        scheduler.advance(Duration.ofMillis(9));
        assertThat(attempts).isEmpty();
        scheduler.advance(Duration.ofMillis(1));

        assertThat(europe.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        assertThat(africa.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
        assertThat(attempts).containsExactly(2);
        session.closeAsync().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBatchOfHashedQueriesSendsTheDocumentsTheServerAsksFor() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Client client = closeLater(recording(backend.httpUri(), attempts).persistedQueries(PersistedQueries.automatic()).build());
        GraphQLRequest first = gql("query BatchApqOne { continent(code: \"EU\") { code } }");
        GraphQLRequest second = gql("query BatchApqTwo { continent(code: \"AF\") { code } }");

        try (Session session = client.connect()) {
            assertThat(session.executeBatch(List.of(first, second))).extracting(ExecutionResult::data)
                    .containsExactly(Map.of("continent", Map.of("code", "EU")), Map.of("continent", Map.of("code", "AF")));
            assertThat(session.executeBatch(List.of(first, second))).extracting(ExecutionResult::data)
                    .containsExactly(Map.of("continent", Map.of("code", "EU")), Map.of("continent", Map.of("code", "AF")));
        }

        // the hashes together; each document alone once the server asked for it; then the hashes together again
        assertThat(attempts).containsExactly(2, 1, 1, 2);
    }

    @Test
    void overAWebSocketTheRequestsOfABatchGoOneByOne() {
        Client client = closeLater(Client.builder().transport(TestEngines.ws(backend.webSocketUri()).build()).build());

        try (Session session = client.connect()) {
            assertThat(session.executeBatch(List.of(CONTINENT.withVariables(Map.of("code", "EU")),
                    CONTINENT.withVariables(Map.of("code", "AF"))))).extracting(ExecutionResult::data)
                    .containsExactly(Map.of("continent", Map.of("name", "Europe")), Map.of("continent", Map.of("name", "Africa")));
        }
    }
}

package dev.jgql.fuzz;

import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.TestEngines;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP transport's response classification, over a real socket on the engine under test: any
 * status, any content type, a well-formed, mutated, random or binary body, whole, cut short after
 * its declared length, or reset mid-body, ends the call with a result or jgql's own exception,
 * within the request timeout; a 2xx GraphQL response with data is always a result. Each response
 * closes its connection, so one try cannot spoil the next.
 */
class HttpResponsePropertiesTest {
    private static final GraphQLRequest QUERY = Gql.gql("{ continent { name } }");
    private static final int SECONDS = 10;

    private static ScriptedHttpServer server;
    private static ScheduledExecutorService scheduler;
    private static TransportConnection connection;

    @BeforeContainer
    static void start() throws Exception {
        server = ScriptedHttpServer.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        connection = TestEngines.http(server.uri()).requestTimeout(Duration.ofSeconds(5)).maxResponseSize(64 * 1024)
                .build().connect(TransportContext.of(scheduler, Clock.systemUTC(), GraphQLJson.defaultMapper()))
                .get(10, TimeUnit.SECONDS);
    }

    @AfterContainer
    static void stop() throws Exception {
        connection.close().get(10, TimeUnit.SECONDS);
        server.close();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(200)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(201, 400, 401, 403, 404, 405, 406, 413, 415, 422, 429, 500, 502,
                        503, 504)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(200, 599).filter(s -> s != 204 && s != 304)));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/graphql-response+json", "application/graphql-response+json; charset=utf-8",
                "application/json", "application/json;charset=ISO-8859-1", "text/html", "text/plain",
                "application/problem+json", "multipart/mixed; boundary=\"-\"", "", ";;;", "application/octet-stream");
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> text = Fuzz.messages().map(body -> body.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> large = Arbitraries.integers().between(60_000, 70_000)
                .map(size -> ("{\"data\":{\"name\":\"" + "x".repeat(size) + "\"}}").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, text), net.jqwik.api.Tuple.of(1, binary),
                net.jqwik.api.Tuple.of(1, large));
    }

    @Property(tries = 150)
    void anyResponseEndsTheCallWithAResultOrJgqlsOwnException(@ForAll("statuses") int status,
            @ForAll("contentTypes") String contentType, @ForAll("bodies") byte[] body,
            @ForAll @IntRange(min = 0, max = 3) int fault, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        Response response = Response.bytes(status, contentType, body).withHeader("Connection", "close");
        if (fault == 1 && body.length > 0) {
            response = response.truncatedBody(cut % body.length);
        } else if (fault == 2) {
            response = response.resetMidResponse(cut % (body.length + 1));
        }
        server.enqueue(response);

        ExecutionResult result = Outcomes.endsWithResultOrJgqlException(connection.execute(QUERY), SECONDS);

        String text = new String(body, StandardCharsets.UTF_8);
        boolean wellFormedData = Fuzz.WELL_FORMED.contains(text) && text.startsWith("{\"data\":{");
        if (status == 200 && fault == 0 && wellFormedData && contentType.startsWith("application/graphql-response+json")) {
            assertThat(result).as("a 2xx GraphQL response with data is a result").isNotNull();
            assertThat(result.data()).isNotEmpty();
        }
    }
}

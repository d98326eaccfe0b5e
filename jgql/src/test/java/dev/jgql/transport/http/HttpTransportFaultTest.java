package dev.jgql.transport.http;

import dev.jgql.TestEngines;
import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLSyntaxException;
import dev.jgql.GraphQLValidationException;
import dev.jgql.Session;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.RecordedRequest;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a server can answer badly, each with its documented exception; none may hang. */
@Timeout(30)
class HttpTransportFaultTest {
    private static final String QUERY = "query Q($code: ID!) { continent(code: $code) { name } }";

    private final ScriptedHttpServer server = ScriptedHttpServer.start();
    private Client client = client(TestEngines.http(server.uri()).build());
    private Session session;

    private static Client client(HttpTransport transport) {
        return Client.builder().transport(transport).build();
    }

    private Session session() {
        if (session == null) {
            session = client.connect();
        }
        return session;
    }

    private Map<String, Object> execute() {
        return session().execute(gql(QUERY), Map.of("code", "EU"));
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    @Test
    void anInvalidDocumentFailsLocallyAndNothingIsSent() {
        assertThatThrownBy(() -> session().execute(gql("query { continent(code: \"EU\" { name } }")))
                .isInstanceOf(GraphQLSyntaxException.class);
        assertThatThrownBy(() -> session().execute(gql("query A { a } query B { b }", "C")))
                .isInstanceOf(GraphQLValidationException.class);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void sendsTheSpecsRequestShape() throws Exception {
        server.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}"));

        assertThat(execute()).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("Accept")).contains("application/graphql-response+json, application/json;q=0.9");
        assertThat(request.body()).isEqualTo("{\"query\":\"" + QUERY.replace("\"", "\\\"")
                + "\",\"variables\":{\"code\":\"EU\"}}");
    }

    @Test
    void anHtml502IsAServerError() {
        server.enqueue(Response.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportServerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(502);
            assertThat(e.bodyExcerpt()).contains("502 Bad Gateway");
            assertThat(e.getMessage()).contains("HTTP 502").contains("text/html").contains("retry later");
        });
    }

    @Test
    void truncatedJsonIsAProtocolError() {
        server.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"na"));

        assertThatThrownBy(this::execute).isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("HTTP 200").hasMessageContaining("{\"data\":{\"continent\":{\"na");
    }

    @Test
    void aBodyCutShortOfItsContentLengthIsAFailedConnection() {
        server.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}").truncatedBody(10));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportConnectionFailedException.class,
                e -> assertThat(e.requestMayHaveBeenSent()).isTrue());
    }

    @Test
    void jsonWithoutDataOrErrorsIsAProtocolError() {
        server.enqueue(Response.json(200, "{\"result\":\"ok\"}"));

        assertThatThrownBy(this::execute).isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("neither 'data' nor 'errors'");
    }

    @Test
    void a500WithGraphQLErrorsIsAQueryErrorThatKeepsStatusAndHeaders() {
        server.enqueue(Response.json(500, "{\"errors\":[{\"message\":\"database down\"}],\"data\":null}")
                .withHeader("X-Request-Id", "abc"));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportQueryException.class, e -> {
            assertThat(e.httpStatus()).hasValue(500);
            assertThat(e.errors()).extracting(error -> error.message()).containsExactly("database down");
            assertThat(e.result().headers()).containsEntry("x-request-id", java.util.List.of("abc"));
            assertThat(e.getMessage()).contains("database down").contains("HTTP 500");
        });
    }

    @Test
    void executeForResultReturnsErrorsWithoutThrowing() {
        server.enqueue(Response.text(400, "application/graphql-response+json",
                "{\"errors\":[{\"message\":\"Cannot query field 'nope'\",\"locations\":[{\"line\":1,\"column\":3}]}]}"));

        ExecutionResult result = session().executeForResult(gql("{ nope }"));

        assertThat(result.hasErrors()).isTrue();
        assertThat(result.isDataPresent()).isFalse();
        assertThat(result.httpStatus()).hasValue(400);
        assertThat(result.errors().get(0).locations()).hasSize(1);
    }

    @Test
    void a429CarriesItsRetryAfterInSecondsOrAsADate() {
        FakeScheduler time = new FakeScheduler();
        client = Client.builder().transport(TestEngines.http(server.uri()).build())
                .scheduler(time).clock(time.clock()).build();
        server.enqueue(Response.status(429).withHeader("Retry-After", "7"));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.clock().instant().plusSeconds(120).atOffset(ZoneOffset.UTC));
        server.enqueue(Response.html(503, "busy").withHeader("Retry-After", date));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportServerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(e.getMessage()).contains("rate limiting");
        });
        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportServerException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(120)));
    }

    @Test
    void anEmptyBodyIsAProtocolErrorOn200AndAServerErrorOn503() {
        server.enqueue(Response.status(200), Response.status(503));

        assertThatThrownBy(this::execute).isInstanceOf(TransportProtocolException.class).hasMessageContaining("empty body");
        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportServerException.class,
                e -> assertThat(e.statusCode()).isEqualTo(503));
    }

    @Test
    void aWrongContentTypeIsAProtocolError() {
        server.enqueue(Response.html(200, "<html>Welcome to nginx!</html>"));

        assertThatThrownBy(this::execute).isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("text/html").hasMessageContaining("Welcome to nginx!");
    }

    @Test
    void aProxysOwnJsonErrorIsAServerError() {
        server.enqueue(Response.json(404, "{\"message\":\"no route\"}"));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportServerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.getMessage()).contains("check the endpoint URL");
        });
    }

    @Test
    void aResetMidResponseIsAFailedConnectionThatMayHaveBeenApplied() {
        server.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}").resetMidResponse(5));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportConnectionFailedException.class, e -> {
            assertThat(e.requestMayHaveBeenSent()).isTrue();
            assertThat(e.getMessage()).contains("may have reached the server");
        });
    }

    @Test
    void aRefusedConnectionProvablyDidNotSendTheRequest() {
        URI nobodyListens = server.uri();
        server.close();

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportConnectionFailedException.class, e -> {
            assertThat(e.requestMayHaveBeenSent()).isFalse();
            assertThat(e.getMessage()).contains("was not sent").contains(nobodyListens.getHost())
                    .contains("connection refused");
        });
    }

    @Test
    void noAnswerEndsAtTheExecuteTimeoutOnTheClientsClock() throws Exception {
        FakeScheduler time = new FakeScheduler();
        client = Client.builder().transport(TestEngines.http(server.uri()).build())
                .scheduler(time).clock(time.clock()).executeTimeout(Duration.ofSeconds(10)).build();
        server.enqueue(Response.noResponse());

        CompletableFuture<Map<String, Object>> call = session().async().execute(gql(QUERY), Map.of("code", "EU"));
        server.takeRequest(Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(9));
        assertThat(call).isNotDone();
        time.advance(Duration.ofSeconds(1));

        assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(TransportTimeoutException.class,
                e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(10)));
    }

    @Test
    void getIsUsedForQueriesOnlyAndFallsBackToPostOn405() throws Exception {
        client = client(TestEngines.http(server.uri()).useGetForQueries(true).build());
        server.enqueue(Response.json(200, "{\"data\":{\"a\":1}}"),
                Response.status(405).withHeader("Allow", "POST"), Response.json(200, "{\"data\":{\"a\":2}}"),
                Response.json(200, "{\"data\":{\"increment\":1}}"));

        assertThat(execute()).containsEntry("a", 1);
        RecordedRequest get = server.takeRequest(Duration.ofSeconds(5));
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.target()).contains("query=query+Q").contains("variables=%7B%22code%22%3A%22EU%22%7D");
        assertThat(get.header("Content-Type")).isEmpty();
        assertThat(get.body()).isEmpty();

        assertThat(execute()).containsEntry("a", 2);
        assertThat(server.takeRequest(Duration.ofSeconds(5)).method()).isEqualTo("GET");
        assertThat(server.takeRequest(Duration.ofSeconds(5)).method()).as("fallback").isEqualTo("POST");

        session().execute(gql("mutation { increment }"));
        assertThat(server.takeRequest(Duration.ofSeconds(5)).method()).as("mutations never over GET").isEqualTo("POST");
    }

    @Test
    void headersAreStaticPlusAFreshSupplierValuePerRequest() throws Exception {
        AtomicInteger token = new AtomicInteger();
        client = client(TestEngines.http(server.uri()).header("User-Agent", "jgql-test")
                .headerSupplier(() -> Map.of("Authorization", "Bearer t" + token.incrementAndGet())).build());
        server.enqueue(Response.json(200, "{\"data\":{}}"), Response.json(200, "{\"data\":{}}"));

        execute();
        execute();

        RecordedRequest first = server.takeRequest(Duration.ofSeconds(5));
        RecordedRequest second = server.takeRequest(Duration.ofSeconds(5));
        assertThat(first.header("User-Agent")).contains("jgql-test");
        assertThat(first.header("Authorization")).contains("Bearer t1");
        assertThat(second.header("Authorization")).contains("Bearer t2");
    }

    @Test
    void secretsNeverAppearInMessages() {
        client = client(TestEngines.http(URI.create(server.uri() + "?api_key=s3cret-key"))
                .header("Authorization", "Bearer s3cret-token").build());
        server.enqueue(Response.html(401, "<html>Unauthorized</html>"));

        assertThatThrownBy(this::execute).isInstanceOfSatisfying(TransportServerException.class, e -> {
            assertThat(e.getMessage()).contains("credentials").doesNotContain("s3cret");
            assertThat(e.statusCode()).isEqualTo(401);
        });
        assertThat(client.transport().toString()).doesNotContain("s3cret");
    }

    @Test
    void jgqlHeadersCannotBeOverridden() {
        assertThatThrownBy(() -> TestEngines.http(server.uri()).header("accept", "text/html"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestEngines.http(URI.create("ws://localhost/graphql")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WebSocketTransport");
    }

    @Test
    void subscriptionsNeedAStreamingTransport() {
        dev.jgql.testkit.RecordingSubscriber<Map<String, Object>> events = new dev.jgql.testkit.RecordingSubscriber<>();
        session().subscribe(gql("subscription { countdown(from: 3) }")).subscribe(events);

        assertThat(events.error()).isInstanceOf(dev.jgql.JgqlUsageException.class)
                .hasMessageContaining("WebSocketTransport").hasMessageContaining("subscriptionTransport");
    }
}

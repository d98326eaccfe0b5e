package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ConnectionState;
import dev.jgql.examples.TestSupport.Backend;
import dev.jgql.examples.TestSupport.Link;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class ContinentWebServiceTest {
    /** The service's default request timeout. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * For the outage tests, so their 503s come quicker; not shorter, because on a small shared machine a cold
     * JVM can take a second for a healthy answer.
     */
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);
    /** Slack on top of the request timeout (and the backstop's 0.5 s) for what a request may take at most. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Backend backend;
    private ContinentWebService service;
    private Duration requestBound;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        if (backend != null) {
            backend.close();
        }
        TestSupport.awaitNoJgqlThreads();
    }

    private ContinentWebService start(Link link, Backend backend) {
        return start(link, backend, DEFAULT_TIMEOUT);
    }

    private ContinentWebService start(Link link, Backend backend, Duration requestTimeout) {
        this.backend = backend;
        this.requestBound = requestTimeout.plus(SLACK);
        service = ContinentWebService.builder(link.transport(backend.port()))
                .port(0)
                .requestTimeout(requestTimeout)
                .retryConnect(TestSupport.fastReconnect())
                .out(new PrintStream(output, true, StandardCharsets.UTF_8))
                .start();
        if (backend.isRunning()) {
            // Ready means the permanent session is up. Closing it while its first probe is still in flight
            // would leak that connection (a jgql bug: the connect loop's new link is unknown to closeAsync until
            // it is up), and tearDown checks that no jgql thread survives.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> service.client().session().state() == ConnectionState.CONNECTED);
        }
        return service;
    }

    private HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(service.uri().resolve(path))
                .timeout(requestBound.plusSeconds(5)) // the client's own guard; the assertions check the bound
                .GET()
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET within the bound; returns the response. */
    private HttpResponse<String> boundedGet(String path) {
        long started = System.nanoTime();
        HttpResponse<String> response = get(path);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(requestBound);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static List<String> countryNames(HttpResponse<String> response) throws IOException {
        JsonNode countries = json(response).path("continent").path("countries");
        assertThat(countries.isArray()).as("countries in %s", response.body()).isTrue();
        return StreamSupport.stream(countries.spliterator(), false).map(c -> c.path("name").asText()).toList();
    }

    private void assertEuropeServed() throws IOException {
        HttpResponse<String> response = boundedGet("/continent/EU");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(countryNames(response)).hasSize(52).contains("France", "Germany");
    }

    private void assertUnavailable(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(json(response).path("detail").asText()).isEqualTo("GraphQL backend unavailable");
    }

    @Test
    void rootPageIsAnHtmlDocumentTitledContinentsThatLinksTheSevenContinents() {
        start(Link.HTTP, Backend.running());

        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        // Byte for byte what gql's FastAPI example (its f-string) answers.
        assertThat(response.body()).isEqualTo("\n    <html>\n        <head>\n            <title>Continents</title>\n"
                + "        </head>\n        <body>\n            Continents: "
                + "<a href=\"continent/AF\">AF</a>, <a href=\"continent/AN\">AN</a>, "
                + "<a href=\"continent/AS\">AS</a>, <a href=\"continent/EU\">EU</a>, "
                + "<a href=\"continent/NA\">NA</a>, <a href=\"continent/OC\">OC</a>, "
                + "<a href=\"continent/SA\">SA</a>\n        </body>\n    </html>\n");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void continentPageAnswersTheSeedQueryWithTheBackendsDataAsItIs(Link link) throws Exception {
        start(link, Backend.running());

        HttpResponse<String> response = get("/continent/EU");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // gql's FastAPI example returns the query's data, which FastAPI writes as compact JSON in the backend's
        // field order, non-ASCII characters as they are: the same bytes as the backend's own "data".
        assertThat(response.body()).startsWith("{\"continent\":{\"name\":\"Europe\",\"code\":\"EU\",\"countries\":[{")
                .contains("{\"name\":\"France\",\"capital\":\"Paris\"}")
                .isEqualTo(backendData(ContinentWebService.QUERY.document(), "EU"));
        assertThat(countryNames(response)).hasSize(52).contains("France", "Germany");
    }

    /** What the backend itself answers to this query, as compact JSON: the "data" the seed's program returns. */
    private String backendData(String query, String code) throws Exception {
        String request = JSON.writeValueAsString(Map.of("query", query, "variables", Map.of("code", code)));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(Link.HTTP.uri(backend.port()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.writeValueAsString(JSON.readTree(answer.body()).path("data"));
    }

    @Test
    void unknownContinentIs404() throws IOException {
        start(Link.HTTP, Backend.running());

        for (String code : List.of("XX", "eu")) {
            HttpResponse<String> response = get("/continent/" + code);

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"detail\":\"Continent not found\"}");
            assertThat(json(response).path("detail").asText()).isEqualTo("Continent not found");
        }
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void answers503WhileTheBackendIsDownAndRecoversWithoutRestart(Link link) throws IOException {
        start(link, Backend.running(), SHORT_TIMEOUT);
        assertEuropeServed();

        backend.stop();
        // Every request, the first one included, ends within the bound; the first few may still be served
        // by an HTTP connection closing, hence the wait.
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertUnavailable(boundedGet("/continent/EU")));
        assertUnavailable(boundedGet("/continent/AF"));
        // The rest of the site does not depend on the backend.
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(get("/continent/XX").statusCode()).isEqualTo(404);

        backend.start(); // same port
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(boundedGet("/continent/EU").statusCode()).isEqualTo(200));
        assertEuropeServed();
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void startsWhileTheBackendIsDownAndServesOnceItIsUp(Link link) throws IOException {
        start(link, Backend.down(), SHORT_TIMEOUT);

        assertThat(output.toString(StandardCharsets.UTF_8)).contains("End of startup");
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertUnavailable(boundedGet("/continent/EU"));

        backend.start();
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(boundedGet("/continent/EU").statusCode()).isEqualTo(200));
        assertEuropeServed();
    }

    @Test
    void concurrentRequestsShareTheOneSession() {
        // About sharing, not speed: a generous timeout, as 21 cold requests on a busy 2-core machine take seconds.
        start(Link.HTTP, Backend.running(), Duration.ofSeconds(15));
        var session = service.client().session();

        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 21)
                .mapToObj(i -> ContinentWebService.CONTINENT_CODES.get(i % 7))
                .map(code -> HTTP.sendAsync(HttpRequest.newBuilder(service.uri().resolve("/continent/" + code))
                        .timeout(requestBound).build(), HttpResponse.BodyHandlers.ofString()))
                .toList();

        assertThat(responses).allSatisfy(response ->
                assertThat(response.join().statusCode()).as(response.join().body()).isEqualTo(200));
        assertThat(service.client().session()).isSameAs(session);
    }

    @Test
    void printsTheSeedMessagesOnStartAndShutdown() {
        start(Link.HTTP, Backend.running());
        URI uri = service.uri();
        assertThat(uri.toString()).isEqualTo("http://127.0.0.1:" + service.port() + "/");

        service.close();
        service.close(); // idempotent: the shutdown hook may run after an explicit close

        assertThat(output.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Connecting to GraphQL backend",
                "End of startup",
                "Open " + uri,
                "Shutting down GraphQL permanent connection...",
                "Shutting down GraphQL permanent connection... done");
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> service.client().session()).isInstanceOf(dev.jgql.JgqlUsageException.class);
    }

    @Test
    void aTakenPortFailsTheStartAndReleasesTheSession() {
        // The backend is down: the failed start closes the session while it is connecting, and a refused probe
        // is released by jgql, whereas one still in flight to a live backend would leak (see start()).
        start(Link.HTTP, Backend.down(), SHORT_TIMEOUT);
        ByteArrayOutputStream secondOutput = new ByteArrayOutputStream();

        assertThatThrownBy(() -> ContinentWebService.builder(Link.HTTP.transport(backend.port()))
                .port(service.port())
                .out(new PrintStream(secondOutput, true, StandardCharsets.UTF_8))
                .start())
                .isInstanceOf(RuntimeException.class);
        assertThat(secondOutput.toString(StandardCharsets.UTF_8))
                .contains("Shutting down GraphQL permanent connection... done");
    }
}

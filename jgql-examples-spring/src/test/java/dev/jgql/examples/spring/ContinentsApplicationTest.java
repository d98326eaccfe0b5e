package dev.jgql.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.testkit.FakeScheduler;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot web service against the embedded countries backend behind a chaos proxy: the seed's routes,
 * then health and metrics through the actuator endpoints with the backend up, down and back. One context for the
 * class. Time for the health indicator is a clock the test moves; the only real waits are for the session to
 * reconnect, bounded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.port=0",
        "jgql.execute-timeout=2s",
        "jgql.deadline=2s",
        "jgql.connect.retry.initial-delay=20ms",
        "jgql.connect.retry.max-delay=200ms"})
@Timeout(90)
class ContinentsApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final CountriesServer BACKEND = CountriesServer.start(0);
    private static final ChaosProxy PROXY = ChaosProxy.start(BACKEND.port());

    @Autowired
    private Environment environment;
    @Autowired
    private TestTime testTime;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("jgql.url", () -> PROXY.httpUri("/graphql").toString());
    }

    @AfterAll
    static void stopBackend() {
        PROXY.close();
        BACKEND.close();
    }

    @TestConfiguration
    static class TestTime {
        /** Only its clock is used: the health indicator's time, which the test moves with advance(). */
        final FakeScheduler time = new FakeScheduler();

        @Bean
        Clock clock() {
            return time.clock();
        }
    }

    private HttpResponse<String> get(String path) {
        return Http.get(environment.getRequiredProperty("local.server.port", Integer.class), path);
    }

    private static List<String> countryNames(HttpResponse<String> response) {
        List<String> names = new ArrayList<>();
        Http.json(response).path("continent").path("countries").forEach(country -> names.add(country.path("name").asText()));
        return names;
    }

    @Test
    void theRootPageIsTheSeedsByteForByte() {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).isEqualTo("\n    <html>\n        <head>\n            <title>Continents</title>\n"
                + "        </head>\n        <body>\n            Continents: "
                + "<a href=\"continent/AF\">AF</a>, <a href=\"continent/AN\">AN</a>, "
                + "<a href=\"continent/AS\">AS</a>, <a href=\"continent/EU\">EU</a>, "
                + "<a href=\"continent/NA\">NA</a>, <a href=\"continent/OC\">OC</a>, "
                + "<a href=\"continent/SA\">SA</a>\n        </body>\n    </html>\n");
    }

    @Test
    void aContinentIsItsDataAndAnUnknownCodeIsNotFound() {
        HttpResponse<String> europe = get("/continent/EU");
        assertThat(europe.statusCode()).as(europe.body()).isEqualTo(200);
        assertThat(Http.json(europe).path("continent").path("name").asText()).isEqualTo("Europe");
        assertThat(countryNames(europe)).hasSize(52).contains("France", "Germany");

        HttpResponse<String> unknown = get("/continent/XX");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.json(unknown).path("detail").asText()).isEqualTo("Continent not found");
    }

    @Test
    void healthAndMetricsFollowTheBackendDownAndBack() {
        // Up.
        assertThat(get("/continent/EU").statusCode()).isEqualTo(200);
        HttpResponse<String> up = get("/actuator/health");
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(Http.json(up).path("components").path("jgql").path("status").asText()).isEqualTo("UP");
        assertThat(Http.json(get("/actuator/metrics")).path("names").toString())
                .contains("jgql.client.calls", "jgql.client.state", "jgql.client.calls.pending", "jgql.client.reconnects",
                        "jgql.client.connect.failures");
        JsonNode calls = Http.json(get("/actuator/metrics/jgql.client.calls?tag=operation:getContinentInfo&tag=outcome:SUCCESS"));
        assertThat(calls.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);

        // Down: the service answers 503 within its deadline; health stays UP through the grace period, then DOWN.
        PROXY.mode(ChaosProxy.Mode.REFUSE);
        PROXY.killAll();
        HttpResponse<String> unavailable = get("/continent/EU");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(Http.json(unavailable).path("detail").asText()).isEqualTo("GraphQL backend unavailable");
        JsonNode withinGrace = Http.json(get("/actuator/health")).path("components").path("jgql");
        assertThat(withinGrace.path("status").asText()).isEqualTo("UP");
        assertThat(withinGrace.path("details").path("state").asText()).isEqualTo("RECONNECTING");
        testTime.time.advance(Duration.ofSeconds(31)); // past the grace period (10 s) and the probe interval (30 s)
        HttpResponse<String> down = get("/actuator/health");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        JsonNode jgql = Http.json(down).path("components").path("jgql");
        assertThat(jgql.path("status").asText()).isEqualTo("DOWN");
        assertThat(jgql.path("details").path("error").asText()).contains("TransportConnectionFailedException");
        assertThat(Http.json(get("/actuator/metrics/jgql.client.state?tag=link:session&tag=state:RECONNECTING"))
                .path("measurements").get(0).path("value").asDouble()).isEqualTo(1);

        // Back: the session reconnects by itself; health, the routes and the metrics say so.
        PROXY.mode(ChaosProxy.Mode.PASS);
        await().atMost(WAIT).until(() -> get("/actuator/health").statusCode() == 200);
        assertThat(get("/continent/EU").statusCode()).isEqualTo(200);
        assertThat(Http.json(get("/actuator/metrics/jgql.client.reconnects")).path("measurements").get(0).path("value")
                .asDouble()).isGreaterThanOrEqualTo(1);
        // The 503 was timed with its outcome: FAILED (refused) or TIMED_OUT (still waiting at the deadline).
        assertThat(Http.json(get("/actuator/metrics/jgql.client.calls?tag=operation:getContinentInfo"))
                .path("availableTags").toString()).containsAnyOf("\"FAILED\"", "\"TIMED_OUT\"");
    }
}

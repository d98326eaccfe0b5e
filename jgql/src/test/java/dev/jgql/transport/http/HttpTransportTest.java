package dev.jgql.transport.http;

import dev.jgql.TestEngines;
import dev.jgql.AsyncSession;
import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;
import dev.jgql.TransportClosedException;
import dev.jgql.countries.CountriesServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Happy paths against the embedded countries backend, a real Vert.x GraphQL server. */
@Timeout(60)
class HttpTransportTest {
    private static final GraphQLRequest CONTINENT = gql("""
            query getContinentInfo($code: ID!) {
              continent(code: $code) { name countries { code name } }
            }""");

    private static CountriesServer backend;

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    private static Client client(HttpTransport.Builder transport) {
        return Client.builder().transport(transport.build()).build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void queriesWithVariables() {
        try (Client client = client(TestEngines.http(backend.httpUri()));
             Session session = client.connect()) {
            Map<String, Object> data = session.execute(CONTINENT, Map.of("code", "EU"));

            Map<String, Object> continent = (Map<String, Object>) data.get("continent");
            assertThat(continent).containsEntry("name", "Europe");
            assertThat((List<Map<String, Object>>) continent.get("countries"))
                    .extracting(country -> country.get("code")).contains("FR", "DE", "IT").hasSize(52);
        }
    }

    @Test
    void resultsCarryStatusAndHeaders() {
        try (Client client = client(TestEngines.http(backend.httpUri()));
             Session session = client.connect()) {
            ExecutionResult result = session.executeForResult(gql("{ country(code: \"FR\") { capital currency } }"));

            assertThat(result.data()).isEqualTo(Map.of("country", Map.of("capital", "Paris", "currency", "EUR")));
            assertThat(result.httpStatus()).hasValue(200);
            assertThat(result.headers()).containsKey("content-type");
        }
    }

    @Test
    void getForQueries() {
        try (Client client = client(TestEngines.http(backend.httpUri()).useGetForQueries(true));
             Session session = client.connect()) {
            assertThat(session.execute(CONTINENT, Map.of("code", "OC"))).containsKey("continent");
        }
    }

    @Test
    void http2WhereTheServerAllows() {
        try (Client client = client(TestEngines.http(backend.httpUri()).httpVersion(HttpClient.Version.HTTP_2));
             Session session = client.connect()) {
            for (int i = 0; i < 3; i++) {
                assertThat(session.execute(CONTINENT, Map.of("code", "AF"))).containsKey("continent");
            }
        }
    }

    @Test
    void oneClientFrom32Threads() throws Exception {
        String[] codes = {"AF", "AN", "AS", "EU", "NA", "OC", "SA"};
        ExecutorService threads = Executors.newFixedThreadPool(32);
        try (Client client = client(TestEngines.http(backend.httpUri()));
             Session session = client.connect()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32 * 10; i++) {
                String code = codes[i % codes.length];
                results.add(threads.submit(() -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> continent = (Map<String, Object>) session.execute(CONTINENT, Map.of("code", code))
                            .get("continent");
                    return continent.get("countries") instanceof List<?> list && !list.isEmpty() || code.equals("AN");
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void closingFailsLaterCallsClearlyAndLeavesNoThread() {
        Client client = client(TestEngines.http(backend.httpUri()));
        AsyncSession session = client.connectAsync().join();
        session.execute(CONTINENT, Map.of("code", "EU")).join();

        client.close();

        assertThatThrownBy(() -> session.execute(CONTINENT, Map.of("code", "EU")).join())
                .cause().isInstanceOf(TransportClosedException.class).hasMessageContaining("closed");
        LeakChecks.assertNoJgqlThreadLeft();
    }
}

package dev.jgql.micrometer;

import static dev.jgql.Gql.gql;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.RecordedRequest;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import dev.jgql.transport.http.HttpTransport;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JgqlObservationsTest {
    private static final GraphQLRequest CONTINENT = gql("query getContinentName($code: ID!) { continent(code: $code) { name } }");

    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private Client client;
    private CountriesServer backend;
    private ScriptedHttpServer scripted;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.closeAsync().orTimeout(10, TimeUnit.SECONDS).join();
        }
        if (backend != null) {
            backend.close();
        }
        if (scripted != null) {
            scripted.close();
        }
    }

    private ReconnectingSession connect(URI uri) {
        client = Client.builder()
                .transport(HttpTransport.builder(uri).build())
                .interceptor(JgqlObservations.interceptor(observations))
                .build();
        return client.connectAsync(Reconnect.builder().noExecuteRetry().build()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void eachCallIsOneObservationNamedAfterItsOperation() {
        backend = CountriesServer.start(0);
        ReconnectingSession session = connect(backend.httpUri());

        session.execute(CONTINENT, Map.of("code", "EU")).join();
        session.executeForResult(gql("query broken { noSuchField }")).join();

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo(DefaultGraphQLClientObservationConvention.NAME, 2);
        assertThat(observations).hasHandledContextsThatSatisfy(contexts -> Assertions.assertThat(contexts)
                .extracting(Observation.Context::getContextualName)
                .containsExactly("query getContinentName", "query broken"));
        assertThat(observations).hasObservationWithNameEqualTo(DefaultGraphQLClientObservationConvention.NAME)
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("graphql.operation.name", "getContinentName")
                .hasLowCardinalityKeyValue("graphql.operation.type", "query")
                .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                .doesNotHaveError();
        assertThat(observations).hasHandledContextsThatSatisfy(contexts -> Assertions.assertThat(contexts)
                .filteredOn(context -> "query broken".equals(context.getContextualName()))
                .singleElement()
                .satisfies(context -> Assertions.assertThat(context.getLowCardinalityKeyValue("outcome").getValue())
                        .isEqualTo("GRAPHQL_ERRORS")));
    }

    @Test
    void aFailedCallIsAnObservationWithItsError() {
        backend = CountriesServer.start(0);
        URI down = backend.httpUri();
        backend.close();
        backend = null;
        ReconnectingSession session = connect(down);

        assertThatThrownBy(() -> session.execute(CONTINENT, Map.of("code", "EU")).orTimeout(10, TimeUnit.SECONDS).join())
                .hasCauseInstanceOf(dev.jgql.TransportException.class);

        assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo(DefaultGraphQLClientObservationConvention.NAME)
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "FAILED")
                .assertThatError().isInstanceOf(dev.jgql.TransportException.class);
    }

    @Test
    void theTraceContextAPropagatingHandlerWritesIsSentAsHeaders() throws InterruptedException {
        // What Micrometer Tracing's propagating sender handler does: write the context through the setter.
        observations.observationConfig().observationHandler(new ObservationHandler<SenderContext<Object>>() {
            @Override
            public void onStart(SenderContext<Object> context) {
                context.getSetter().set(context.getCarrier(), "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof SenderContext;
            }
        });
        scripted = ScriptedHttpServer.start();
        scripted.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}"));
        ReconnectingSession session = connect(scripted.uri());

        session.execute(CONTINENT, Map.of("code", "EU")).orTimeout(10, TimeUnit.SECONDS).join();

        RecordedRequest request = scripted.takeRequest(Duration.ofSeconds(5));
        Assertions.assertThat(request.header("traceparent")).hasValue("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void withoutAPropagatorNoHeaderIsAdded() throws InterruptedException {
        scripted = ScriptedHttpServer.start();
        scripted.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}"));
        ReconnectingSession session = connect(scripted.uri());

        session.execute(CONTINENT, Map.of("code", "EU")).orTimeout(10, TimeUnit.SECONDS).join();

        RecordedRequest request = scripted.takeRequest(Duration.ofSeconds(5));
        Assertions.assertThat(request.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("traceparent"));
        assertThat(observations).hasSingleObservationThat().hasBeenStopped();
    }

    @Test
    void aCallerThatCancelsCancelsTheCallAndTheObservationEnds() {
        backend = CountriesServer.start(0);
        ReconnectingSession session = connect(backend.httpUri());

        CompletableFuture<Map<String, Object>> call = session.execute(gql("query slow { slow(ms: 5000) }"));
        call.cancel(true);

        // Well before the slow query's 5 s, and CANCELLED, not SUCCESS: the cancel reached the call.
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(observations).hasSingleObservationThat().hasBeenStopped()
                        .hasLowCardinalityKeyValue("outcome", "CANCELLED"));
    }
}

package dev.jgql.spring.boot;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.Client;
import dev.jgql.ClientEventListener;
import dev.jgql.ConnectionState;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.countries.CountriesServer;
import dev.jgql.micrometer.JgqlMetrics;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Timeout(60)
class JgqlAutoConfigurationTest {
    private static final GraphQLRequest CONTINENT = gql("query getContinentName($code: ID!) { continent(code: $code) { name } }");

    private static CountriesServer backend;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JgqlAutoConfiguration.class, JgqlMetricsAutoConfiguration.class,
                    JgqlHealthAutoConfiguration.class));

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void anHttpUrlGivesAClientWhosePermanentSessionLivesAsLongAsTheContext() {
        Client[] seen = new Client[1];
        runner.withPropertyValues("jgql.url=" + backend.httpUri()).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Client.class).hasSingleBean(JgqlSessionLifecycle.class);
            Client client = context.getBean(Client.class);
            seen[0] = client;
            assertThat(client.transport()).isInstanceOf(HttpTransport.class);
            assertThat(client.executeTimeout()).isEqualTo(Duration.ofSeconds(10));
            Map<String, Object> data = client.session().execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS);
            assertThat(data).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        });
        // Closed with the context.
        assertThatThrownBy(() -> seen[0].session()).isInstanceOf(JgqlUsageException.class);
    }

    @Test
    void aSchemaLocationValidatesRequestsBeforeTheyAreSentAndABadOneStopsTheStart() {
        runner.withPropertyValues("jgql.url=" + backend.httpUri(),
                "jgql.schema.location=classpath:dev/jgql/countries/schema.graphqls").run(context -> {
                    Client client = context.getBean(Client.class);
                    assertThat(client.schema()).isPresent();
                    assertThat(client.session().execute(dev.jgql.Gql.gql("{ continent(code: \"EU\") { nam } }")))
                            .failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                            .havingCause().isInstanceOf(dev.jgql.GraphQLValidationException.class);
                });
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.schema.fetch-from-transport=true").run(context -> {
            Client client = context.getBean(Client.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.schema().isPresent());
        });
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.schema.location=classpath:nowhere.graphqls")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("jgql.schema.location").hasMessageContaining("cannot be read"));
    }

    @Test
    void theVertxEngineCarriesTheCallsWhenAskedFor() {
        runner.withPropertyValues("jgql.url=" + backend.webSocketUri(), "jgql.engine=vertx",
                "jgql.connect.await-at-startup=true").run(context -> {
                    Client client = context.getBean(Client.class);
                    assertThat(client.transport().toString()).contains("Vertx");
                    assertThat(client.session().execute(CONTINENT, Map.of("code", "SA")).get(10, TimeUnit.SECONDS))
                            .isEqualTo(Map.of("continent", Map.of("name", "South America")));
                });
    }

    @Test
    void aWebSocketUrlWithAwaitAtStartupIsConnectedWhenTheContextIsReady() {
        runner.withPropertyValues("jgql.url=" + backend.webSocketUri(), "jgql.connect.await-at-startup=true",
                "jgql.execute-timeout=3s").run(context -> {
                    Client client = context.getBean(Client.class);
                    assertThat(client.transport()).isInstanceOf(WebSocketTransport.class);
                    assertThat(client.executeTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(client.session().state()).isEqualTo(ConnectionState.CONNECTED);
                });
    }

    @Test
    void awaitAtStartupFailsTheStartClearlyWhenTheBackendIsDown() {
        int down;
        try (CountriesServer gone = CountriesServer.start(0)) {
            down = gone.port();
        }
        runner.withPropertyValues("jgql.url=ws://127.0.0.1:" + down + "/graphql", "jgql.connect.await-at-startup=true",
                "jgql.connect.startup-timeout=1s").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isNotNull();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("could not be reached at start-up")
                            .hasStackTraceContaining("jgql.connect.await-at-startup=false");
                });
    }

    @Test
    void withoutAwaitingTheContextStartsWhileTheBackendIsDown() {
        int down;
        try (CountriesServer gone = CountriesServer.start(0)) {
            down = gone.port();
        }
        runner.withPropertyValues("jgql.url=ws://127.0.0.1:" + down + "/graphql").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Client.class).session().state()).isIn(ConnectionState.CONNECTING,
                    ConnectionState.RECONNECTING);
        });
    }

    @Test
    void missingOrWrongSettingsAreReportedByName() {
        runner.run(context -> assertThat(context.getStartupFailure())
                .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasStackTraceContaining("jgql.url"));
        runner.withPropertyValues("jgql.url=ftp://host/graphql").run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("the scheme must be http, https, ws or wss"));
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.transport=ws").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("jgql.transport"));
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.connect.retry.max-attempts=0").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("jgql.connect.retry.max-attempts"));
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.execute.retry.initial-delay=10s",
                "jgql.execute.retry.max-delay=1s").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("jgql.execute.retry.initial-delay"));
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.execute-timeout=0s").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("jgql.execute-timeout"));
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.subscription-url=" + backend.httpUri())
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining("jgql.subscription-url"));
        runner.withPropertyValues("jgql.enabled=false").run(context -> assertThat(context).doesNotHaveBean(Client.class));
    }

    @Test
    void headersAreSentWithEveryRequest() throws InterruptedException {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            server.enqueue(Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}"));
            runner.withPropertyValues("jgql.url=" + server.uri(), "jgql.headers.X-Tenant=acme").run(context -> {
                context.getBean(Client.class).session().execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS);
                assertThat(server.takeRequest(Duration.ofSeconds(5)).header("X-Tenant")).hasValue("acme");
            });
        }
    }

    @Test
    void retrySettingsBecomeTheReconnectOptions() {
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.execute.retry.max-attempts=2",
                "jgql.connect.demand-interval=250ms", "jgql.resubscribe=true").run(context -> {
                    Reconnect reconnect = context.getBean(Reconnect.class);
                    assertThat(reconnect.retryExecute().getConfig().getMaxAttempts()).isEqualTo(2);
                    assertThat(reconnect.retryConnect().getConfig().getMaxAttempts()).isEqualTo(-1);
                    assertThat(reconnect.demandInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(reconnect.resubscribeHook()).isNotNull();
                });
        runner.withPropertyValues("jgql.url=" + backend.httpUri()).run(context ->
                assertThat(context.getBean(Reconnect.class).hasDefaultExecutePolicy()).isTrue());
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.execute.retry-enabled=false").run(context ->
                assertThat(context.getBean(Reconnect.class).retriesExecute()).isFalse());
    }

    @Test
    void everyBeanCanBeTheApplicationsOwn() {
        runner.withPropertyValues("jgql.url=http://127.0.0.1:1/unused").withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(Transport.class).hasSingleBean(Reconnect.class).hasSingleBean(Client.class);
            assertThat(context.getBean(Transport.class)).isSameAs(context.getBean(OwnBeans.class).transport);
            assertThat(context.getBean(Reconnect.class)).isSameAs(OwnBeans.RECONNECT);
            assertThat(context.getBean(Client.class).session().execute(CONTINENT, Map.of("code", "AF"))
                    .get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
        });
    }

    @Test
    void withMicrometerTheClientIsMeteredAndObservedAndTheApplicationsListenersHearToo() {
        runner.withPropertyValues("jgql.url=" + backend.httpUri()).withUserConfiguration(Micrometer.class).run(context -> {
            assertThat(context).hasSingleBean(JgqlMetrics.class).hasBean("jgqlObservationInterceptor");
            context.getBean(Client.class).session().execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS);

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(JgqlMetrics.STATE).tags("link", "session", "state", "CONNECTED").gauge().value())
                    .isEqualTo(1);
            TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
            io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("jgql.client.operation").that()
                    .hasLowCardinalityKeyValue("graphql.operation.name", "getContinentName");
            // The application's own listener hears the events beside the metrics.
            Micrometer own = context.getBean(Micrometer.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> own.finished.size() == 1);
            assertThat(own.finished.get(0).operationName()).isEqualTo("getContinentName");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(JgqlMetrics.CALLS)
                    .tags("operation", "getContinentName").timer() != null);
        });
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "jgql.metrics.enabled=false",
                "jgql.metrics.observations-enabled=false").withUserConfiguration(Micrometer.class).run(context -> {
                    assertThat(context).doesNotHaveBean(JgqlMetrics.class).doesNotHaveBean("jgqlObservationInterceptor");
                });
        runner.withPropertyValues("jgql.url=" + backend.httpUri()).run(context ->
                assertThat(context).doesNotHaveBean(JgqlMetrics.class).doesNotHaveBean("jgqlObservationInterceptor"));
    }

    @Test
    void theHealthIndicatorIsRegisteredAndSaysUpWhenTheBackendAnswers() {
        runner.withPropertyValues("jgql.url=" + backend.httpUri()).run(context -> {
            assertThat(context).hasBean(JgqlHealthAutoConfiguration.INDICATOR_BEAN);
            HealthIndicator indicator = context.getBean(JgqlHealthAutoConfiguration.INDICATOR_BEAN, HealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        });
        runner.withPropertyValues("jgql.url=" + backend.httpUri(), "management.health.jgql.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(JgqlHealthAutoConfiguration.INDICATOR_BEAN));
    }

    @Test
    void theSessionOpensBeforeTheWebServerTakesRequestsAndClosesAfterItStopped() {
        // Spring starts the lowest phase first and stops it last. Spring Boot's web server starts and stops in
        // DEFAULT_PHASE - 2048, its graceful shutdown in DEFAULT_PHASE - 1024 (jgql-examples-spring checks the order).
        assertThat(JgqlSessionLifecycle.PHASE).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final Reconnect RECONNECT = Reconnect.builder().noExecuteRetry().build();
        final Transport transport = HttpTransport.builder(backend.httpUri()).build();

        @Bean
        Transport transport() {
            return transport;
        }

        @Bean
        Reconnect reconnect() {
            return RECONNECT;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Micrometer {
        final List<ClientEventListener.CallFinished> finished = new CopyOnWriteArrayList<>();

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

        @Bean
        ClientEventListener recordingListener() {
            return new ClientEventListener() {
                @Override
                public void callFinished(CallFinished event) {
                    if (!event.operationName().equals("jgqlHealth")) {
                        finished.add(event);
                    }
                }
            };
        }
    }

    @Test
    void theBuildGeneratesConfigurationMetadataForIdeCompletion() throws Exception {
        com.fasterxml.jackson.databind.JsonNode metadata;
        try (java.io.InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
            metadata = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        Map<String, String> defaults = new java.util.HashMap<>();
        metadata.path("properties").forEach(property -> defaults.put(property.path("name").asText(),
                property.path("defaultValue").asText(null)));
        assertThat(defaults).containsKeys("jgql.url", "jgql.transport", "jgql.engine", "jgql.headers",
                "jgql.connect.await-at-startup", "jgql.health.probe-interval")
                .containsEntry("jgql.execute-timeout", "10s")
                .containsEntry("jgql.connect.retry.max-delay", "60s")
                .containsEntry("jgql.execute.retry.max-attempts", "5");
    }
}

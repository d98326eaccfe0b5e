package dev.jgql.examples;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jgql.Client;
import dev.jgql.ReconnectingSession;
import dev.jgql.TransportQueryException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ReadmeExamplesTest {
    private static CountriesServer backend;
    private Client client;

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
        TestSupport.awaitNoJgqlThreads();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private Client httpClient() {
        client = Client.builder().transport(HttpTransport.builder(backend.httpUri()).build()).build();
        return client;
    }

    private static Map<String, Object> europe(ReconnectingSession session) {
        return session.execute(GraphQLContinentClient.GET_CONTINENT_NAME, Map.of("code", "EU"))
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void quickStart() {
        assertThat(ReadmeExamples.quickStart(backend.httpUri())).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
    }

    @Test
    void permanentSessionWithTheDefaults() {
        Client client = httpClient();

        Map<String, Object> data = ReadmeExamples.permanentSession(client, gql("{ continent(code: \"AF\") { name } }"));

        assertThat(data).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(client::session))
                .isInstanceOf(dev.jgql.JgqlUsageException.class); // closed by the example
    }

    @Test
    void customConnectPolicy() {
        assertThat(europe(ReadmeExamples.customConnectPolicy(httpClient())))
                .isEqualTo(Map.of("continent", Map.of("name", "Europe")));
    }

    @Test
    void threeTriesExecutePolicyGivesUpAtOnceOnGraphQLErrors() {
        ReconnectingSession session = ReadmeExamples.threeTriesExecutePolicy(httpClient());

        assertThat(europe(session)).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        CompletableFuture<Map<String, Object>> invalid = session.execute(gql("{ continent(code: \"EU\") { nope } }"));
        assertThat(invalid).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(TransportQueryException.class);
    }

    @Test
    void noExecuteRetry() {
        assertThat(europe(ReadmeExamples.noExecuteRetry(httpClient())))
                .isEqualTo(Map.of("continent", Map.of("name", "Europe")));
    }

    @Test
    void retryingSubscription() throws Exception {
        client = Client.builder().transport(WebSocketTransport.builder(backend.webSocketUri()).build()).build();
        ReconnectingSession session = ReadmeExamples.noExecuteRetry(client);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            List<Object> events = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            ReadmeExamples.retryingSubscription(session, scheduler).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Map<String, Object> item) {
                    events.add(item.get("countdown"));
                }

                @Override
                public void onError(Throwable throwable) {
                    done.completeExceptionally(throwable);
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }
            });

            assertThat(done).succeedsWithin(java.time.Duration.ofSeconds(10));
            assertThat(events).containsExactly(3, 2, 1, 0);
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}

package dev.jgql.examples;

import static dev.jgql.Gql.gql;

import dev.failsafe.RetryPolicy;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.Subscriptions;
import dev.jgql.TransportQueryException;
import dev.jgql.transport.http.HttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The code samples of the README, kept here so they compile with every build (and run in
 * {@code ReadmeExamplesTest}). Each method body is what the README shows; keep them in step.
 */
public final class ReadmeExamples {
    private ReadmeExamples() {
    }

    /** (1) Quick start: a client, a scoped session, one query. */
    public static Map<String, Object> quickStart(URI endpoint) {
        Client client = Client.builder()
                .transport(HttpTransport.builder(endpoint).build())
                .build();

        GraphQLRequest query = gql("""
                query getContinentName($code: ID!) {
                  continent(code: $code) {
                    name
                  }
                }""");

        try (Session session = client.connect()) {
            Map<String, Object> data = session.execute(query, Map.of("code", "EU"));
            System.out.println(data); // {continent={name=Europe}}
            return data;
        }
    }

    /** (2) The permanent session with the defaults: gql's {@code connect_async(reconnecting=True)}. */
    public static Map<String, Object> permanentSession(Client client, GraphQLRequest query) {
        // Create a session from the client which will reconnect automatically.
        // This session can be kept in a class for example to provide a way
        // to execute GraphQL queries from many different places
        ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();

        // You can run execute or subscribe method on this session
        Map<String, Object> result = session.execute(query).join();

        // When you want the connection to close (for cleanup),
        // you call closeAsync
        client.closeAsync().join();
        return result;
    }

    /** (3) Connection retries: wait at most 5 minutes between connection retries. */
    public static ReconnectingSession customConnectPolicy(Client client) {
        RetryPolicy<Object> retryConnect = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .handle(Exception.class)   // which exceptions cause a retry (here: everything)
                .withMaxRetries(-1)        // and how often (here: forever)
                .build();
        return client.connectAsync(Reconnect.builder().retryConnect(retryConnect).build()).join();
    }

    /** (4) Execution retries: only 3 tries per execute, none after a GraphQL error. */
    public static ReconnectingSession threeTriesExecutePolicy(Client client) {
        RetryPolicy<Object> retryExecute = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
                .handle(Exception.class)
                .withMaxAttempts(3)
                .abortOn(TransportQueryException.class)
                .build();
        return client.connectAsync(Reconnect.builder().retryExecute(retryExecute).build()).join();
    }

    /** (5) No retry at all on execute calls: gql's {@code retry_execute=False}. */
    public static ReconnectingSession noExecuteRetry(Client client) {
        return client.connectAsync(Reconnect.builder().noExecuteRetry().build()).join();
    }

    /**
     * (6) Subscription retries: no automatic retry, as in gql; retry a subscription yourself under a
     * policy, the counterpart of decorating the subscribing function with {@code @backoff.on_exception}.
     */
    public static Flow.Publisher<Map<String, Object>> retryingSubscription(ReconnectingSession session,
            ScheduledExecutorService scheduler) {
        GraphQLRequest subscription = gql("subscription { countdown(from: 3) }");
        RetryPolicy<Object> policy = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
                .handle(Exception.class)
                .withMaxAttempts(3)
                .abortOn(TransportQueryException.class)
                .build();
        return Subscriptions.retrying(() -> session.subscribe(subscription), policy, scheduler);
    }
}

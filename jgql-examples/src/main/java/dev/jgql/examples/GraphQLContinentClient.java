package dev.jgql.examples;

import static dev.jgql.Gql.gql;

import dev.jgql.Client;
import dev.jgql.ClientEventListener;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.transport.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The seed console example's {@code GraphQLContinentClient}: a class that holds the client and its
 * permanent session, so the rest of the program just asks for continent names.
 *
 * <pre>{@code
 * GraphQLContinentClient continents = new GraphQLContinentClient(HttpTransport.builder(uri).build());
 * continents.connect();
 * String name = continents.getContinentName("EU"); // "Europe"
 * continents.close();
 * }</pre>
 *
 * <p>Thread-safe: the session may be shared by any number of threads.
 */
public final class GraphQLContinentClient implements AutoCloseable {
    static final GraphQLRequest GET_CONTINENT_NAME = gql("""
            query getContinentName ($code: ID!) {
              continent (code: $code) {
                name
              }
            }""");

    private final Client client;
    private final Reconnect reconnect;
    private volatile ReconnectingSession session;

    /** A client with jgql's defaults: execute timeout 10 s per attempt, reconnect forever, 5 tries per execute. */
    public GraphQLContinentClient(Transport transport) {
        this(transport, Duration.ofSeconds(10), Reconnect.defaults());
    }

    /**
     * @param transport      how to reach the backend
     * @param executeTimeout the longest each attempt of a {@link #getContinentName} may take, waiting for the
     *                       link included
     * @param reconnect      how the permanent session reconnects and retries
     */
    public GraphQLContinentClient(Transport transport, Duration executeTimeout, Reconnect reconnect) {
        this(transport, executeTimeout, reconnect, null);
    }

    /**
     * @param transport      how to reach the backend
     * @param executeTimeout the longest each attempt of a {@link #getContinentName} may take, waiting for the
     *                       link included
     * @param reconnect      how the permanent session reconnects and retries
     * @param listener       told what the session does (failed connect attempts, state changes), or {@code null}
     */
    public GraphQLContinentClient(Transport transport, Duration executeTimeout, Reconnect reconnect,
            ClientEventListener listener) {
        Client.Builder builder = Client.builder().transport(transport).executeTimeout(executeTimeout);
        if (listener != null) {
            builder.eventListener(listener);
        }
        this.client = builder.build();
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
    }

    /**
     * Opens the permanent session as gql's {@code connect_async(reconnecting=True)}: over HTTP at once (there is
     * no link to open; whether the backend answers is learned from requests), over WebSocket once the first link
     * is up, unless the {@link Reconnect} says not to wait. With the default connect policy that wait lasts as
     * long as the backend is down; {@link #close()} from another thread ends it.
     *
     * @return the session, e.g. to follow its state
     * @throws dev.jgql.TransportException if the connect policy gave up, or the client was closed meanwhile
     */
    public ReconnectingSession connect() {
        session = await(client.connectAsync(reconnect));
        return session;
    }

    /** Closes the permanent session: pending calls fail, the link is released. Idempotent. */
    @Override
    public void close() {
        await(client.closeAsync());
    }

    /**
     * The name of the continent with this code, e.g. "Europe" for "EU".
     *
     * @throws dev.jgql.TransportException when the backend gives no answer in time, or answers with errors
     * @throws IllegalStateException       before {@link #connect()}, or if there is no such continent
     */
    public String getContinentName(String code) {
        ReconnectingSession current = session;
        if (current == null) {
            throw new IllegalStateException("Not connected: call connect() first");
        }
        Map<String, Object> answer = await(current.execute(GET_CONTINENT_NAME, Map.of("code", code)));
        if (!(answer.get("continent") instanceof Map<?, ?> continent)) {
            throw new IllegalStateException("No continent with code " + code);
        }
        return String.valueOf(continent.get("name"));
    }

    /**
     * Waits for a future the way {@code await} does in Python: the caller gets the failure itself (jgql's
     * {@code TransportException}), not an {@code ExecutionException} around it. jgql bounds each attempt of a
     * call by the execute timeout and makes at most 5 attempts, so this wait ends.
     */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new IllegalStateException("Interrupted while waiting for the GraphQL backend", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}

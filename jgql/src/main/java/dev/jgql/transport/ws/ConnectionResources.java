package dev.jgql.transport.ws;

import dev.jgql.internal.Checks;
import dev.jgql.internal.HttpClients;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads and the {@link HttpClient} of one {@code connect}, shared by its attempts (the
 * fallback to the legacy protocol reuses them) and then owned by the connection that succeeded.
 * Reference-counted: the last {@link #release()} shuts the executor down (tasks already queued,
 * such as the final signals to subscribers, still run) and drops the client, whose selector
 * thread then ends once it is garbage collected (JDK 17 has no {@code HttpClient.close()}).
 */
final class ConnectionResources {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    final ExecutorService executor;
    private HttpClient client;
    private final boolean ownsClient;
    private int references = 1;

    private ConnectionResources(ExecutorService executor, HttpClient client, boolean ownsClient) {
        this.executor = executor;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    static ConnectionResources create(WebSocketTransport transport) {
        ExecutorService executor = Executors.newCachedThreadPool(
                Checks.daemonThreads("jgql-ws-" + CONNECTIONS.incrementAndGet()));
        HttpClient client = transport.httpClient;
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (transport.sslContext != null) {
                builder.sslContext(transport.sslContext);
            }
            client = builder.build();
        }
        return new ConnectionResources(executor, client, transport.httpClient == null);
    }

    /** The client to open sockets with, or {@code null} once released. */
    synchronized HttpClient client() {
        return client;
    }

    synchronized void retain() {
        references++;
    }

    void release() {
        HttpClient released;
        synchronized (this) {
            if (references == 0 || --references > 0) {
                return;
            }
            released = client;
            client = null;
        }
        if (released != null && ownsClient) {
            HttpClients.release(released);
        }
        executor.shutdown();
    }
}

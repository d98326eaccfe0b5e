package dev.jgql.transport.ws;

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
    private static final AtomicInteger THREADS = new AtomicInteger();

    final ExecutorService executor;
    private HttpClient client;
    private int references = 1;

    private ConnectionResources(ExecutorService executor, HttpClient client) {
        this.executor = executor;
        this.client = client;
    }

    static ConnectionResources create(WebSocketTransport transport) {
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "jgql-ws-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
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
        return new ConnectionResources(executor, client);
    }

    /** The client to open sockets with, or {@code null} once released. */
    synchronized HttpClient client() {
        return client;
    }

    synchronized void retain() {
        references++;
    }

    void release() {
        synchronized (this) {
            if (references == 0 || --references > 0) {
                return;
            }
            client = null;
        }
        executor.shutdown();
    }
}

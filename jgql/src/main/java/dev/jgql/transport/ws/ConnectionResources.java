package dev.jgql.transport.ws;

import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.WebSocketEngine;
import dev.jgql.internal.Checks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads and the engine of one {@code connect}, shared by its attempts (the fallback to the
 * legacy protocol reuses them) and then owned by the connection that succeeded. Reference-counted:
 * the last {@link #release()} closes the engine and shuts the executor down (tasks already queued,
 * such as the final signals to subscribers, still run).
 */
final class ConnectionResources {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    /** Runs deliveries to futures and subscribers; also given to the engine for its own tasks. */
    final ExecutorService executor;
    private WebSocketEngine engine;
    private int references = 1;

    private ConnectionResources(ExecutorService executor, WebSocketEngine engine) {
        this.executor = executor;
        this.engine = engine;
    }

    static ConnectionResources create(WebSocketTransport transport) {
        ExecutorService executor = Executors.newCachedThreadPool(
                Checks.daemonThreads("jgql-ws-" + CONNECTIONS.incrementAndGet()));
        EngineSettings.Builder settings = EngineSettings.builder()
                .name("ws")
                .connectTimeout(transport.connectTimeout)
                .executor(executor);
        if (transport.sslContext != null) {
            settings.sslContext(transport.sslContext);
        }
        try {
            return new ConnectionResources(executor, transport.engine.newWebSocketEngine(settings.build()));
        } catch (RuntimeException e) {
            executor.shutdown();
            throw e;
        }
    }

    /** The engine to open sockets with, or {@code null} once released. */
    synchronized WebSocketEngine engine() {
        return engine;
    }

    synchronized void retain() {
        references++;
    }

    void release() {
        WebSocketEngine released;
        synchronized (this) {
            if (references == 0 || --references > 0) {
                return;
            }
            released = engine;
            engine = null;
        }
        if (released != null) {
            released.close();
        }
        executor.shutdown();
    }
}

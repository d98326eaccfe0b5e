package dev.jgql.transport.http;

import dev.jgql.internal.Checks;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that deliver the events of streams over HTTP to subscribers, made when the first
 * stream opens (most HTTP connections never stream), shut down with the connection.
 */
final class StreamExecutor {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static final Executor REJECTING = task -> {
        throw new RejectedExecutionException("the HTTP connection is closed");
    };

    private ExecutorService executor;
    private boolean shutdown;

    synchronized Executor get() {
        if (shutdown) {
            return REJECTING; // StreamSubscription then delivers its last signals on the calling thread
        }
        if (executor == null) {
            executor = Executors.newCachedThreadPool(Checks.daemonThreads("jgql-http-stream-" + CONNECTIONS.incrementAndGet()));
        }
        return executor;
    }

    synchronized void shutdown() {
        shutdown = true;
        if (executor != null) {
            executor.shutdown(); // signals already queued still run
        }
    }
}

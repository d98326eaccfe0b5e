package dev.jgql.engine;

import dev.jgql.internal.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/** Making and releasing the JDK {@link HttpClient}s and threads the JDK engines own: written once for HTTP and WebSocket. */
final class JdkClients {
    private static final Logger LOG = LoggerFactory.getLogger(JdkClients.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private JdkClients() {
    }

    /** A client built from the transport's settings that runs its tasks on {@code executor}. */
    static HttpClient build(EngineSettings settings, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(settings.httpVersion())
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(neverRejecting(executor));
        settings.sslContext().ifPresent(builder::sslContext);
        return builder.build();
    }

    /**
     * The executor as the JDK client gets it: a task the executor refuses (the engine closed and
     * shut its threads down) runs on a short-lived thread of its own instead. The JDK still has
     * work to do for the exchanges the close cancelled (closing their connections, releasing the
     * client's count of pending operations); were that work refused, the count would never reach
     * zero and, on JDK 17, the client's selector thread would outlive it.
     */
    private static Executor neverRejecting(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException closed) {
                Thread last = new Thread(task, "jgql-http-closing");
                last.setDaemon(true);
                last.start();
            }
        };
    }

    /** A pool of daemon threads named {@code jgql-<name>-N-M}, so leak checks can find them. */
    static ExecutorService threads(EngineSettings settings) {
        return Executors.newCachedThreadPool(Checks.daemonThreads("jgql-" + settings.name() + "-" + POOLS.incrementAndGet()));
    }

    /**
     * Releases a client's selector thread and pooled sockets now where the JDK allows it:
     * {@code HttpClient.shutdownNow()} exists from JDK 21, called reflectively because jgql
     * compiles for 17. On JDK 17 the client is released once unreachable, so callers must also
     * drop their reference.
     */
    static void release(HttpClient client) {
        invoke(client, "shutdownNow");
    }

    /**
     * Stops a client taking new requests and lets those in flight finish ({@code shutdown()},
     * JDK 21+); on JDK 17 it goes when garbage collected.
     */
    static void retire(HttpClient client) {
        invoke(client, "shutdown");
    }

    private static void invoke(HttpClient client, String method) {
        try {
            Method shutdown = HttpClient.class.getMethod(method);
            shutdown.invoke(client);
        } catch (NoSuchMethodException onJdk17) {
            // released by the garbage collector
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not {} the HttpClient", method, e);
        }
    }
}

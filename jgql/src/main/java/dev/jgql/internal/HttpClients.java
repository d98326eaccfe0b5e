package dev.jgql.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.net.http.HttpClient;

/** Releasing the JDK HttpClients jgql creates for itself. */
public final class HttpClients {
    private static final Logger LOG = LoggerFactory.getLogger(HttpClients.class);

    private HttpClients() {
    }

    /**
     * Releases a client's selector thread and pooled sockets now where the JDK allows it:
     * {@code HttpClient.shutdownNow()} exists from JDK 21, called reflectively because jgql
     * compiles for 17. On JDK 17 the client is released once unreachable, so callers must also
     * drop their reference.
     */
    public static void release(HttpClient client) {
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(client);
        } catch (NoSuchMethodException onJdk17) {
            // released by the garbage collector
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not shut the HttpClient down", e);
        }
    }
}

package dev.jgql.internal;

import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.OperationType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Argument checks and thread naming shared by the builders and transports. */
public final class Checks {
    private Checks() {
    }

    /** The duration, if it is positive; builders' settings are checked where they are set. */
    public static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }

    /**
     * The URI, if it is absolute with one of these schemes and a host: what every transport builder
     * checks first. The message names the URI without credentials and the transport to use instead.
     *
     * @param what      the transport, for the message ("An HTTP transport")
     * @param insteadOf what to use for other schemes, for the message ("for ws:// use WebSocketTransport")
     */
    public static URI endpoint(URI uri, String what, String insteadOf, String... schemes) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of(schemes).contains(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " needs an absolute " + String.join(":// or ", schemes)
                    + ":// URI, not '" + (uri.getHost() == null ? uri.getScheme() + ":…" : TransportFailures.redact(uri))
                    + "'; " + insteadOf);
        }
        return uri;
    }

    /** The duration, if it is zero or more; zero switches a timer off where a builder says so. */
    public static Duration notNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative (zero switches it off): " + duration);
        }
        return duration;
    }

    /** The request, if {@code execute} can run it: queries and mutations, not subscriptions. */
    public static GraphQLRequest executable(GraphQLRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.operationType() == OperationType.SUBSCRIPTION) {
            throw new JgqlUsageException("execute runs queries and mutations; use subscribe for " + request);
        }
        return request;
    }

    /**
     * Daemon threads named {@code prefix-N}, so that jgql never keeps a JVM alive and a leak
     * check can find every thread it started by name.
     */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

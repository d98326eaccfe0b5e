package dev.jgql.internal;

import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.OperationType;

import java.time.Duration;
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

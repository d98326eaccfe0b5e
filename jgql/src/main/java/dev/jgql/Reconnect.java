package dev.jgql;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a {@link ReconnectingSession} reconnects and retries: the Java counterpart of gql's
 * {@code connect_async(reconnecting=True, retry_connect=…, retry_execute=…)}. Immutable; built
 * by {@link #builder()}, every setting documented with its default.
 *
 * <pre>{@code
 * // the seed's defaults: reconnect forever with backoff up to 60 s, 5 tries per execute
 * client.connectAsync(Reconnect.defaults());
 *
 * // wait at most 5 minutes between connection retries
 * RetryPolicy<Object> connect = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofMinutes(5))
 *     .handle(Exception.class).withMaxRetries(-1).build();
 * // only 3 tries per execute, never on GraphQL errors
 * RetryPolicy<Object> execute = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
 *     .withMaxAttempts(3).abortOn(TransportQueryException.class).build();
 * client.connectAsync(Reconnect.builder().retryConnect(connect).retryExecute(execute).build());
 *
 * // no execute retry at all (gql's retry_execute=False)
 * client.connectAsync(Reconnect.builder().noExecuteRetry().build());
 * }</pre>
 *
 * <p>Policies are Failsafe {@link RetryPolicy}s; their delays run on the client's scheduler, so a
 * fake scheduler drives them in tests. A policy's own listeners ({@code onRetry}, …) are called
 * as Failsafe documents.
 */
public final class Reconnect {
    private static final Reconnect DEFAULTS;

    /**
     * The default execute policy, shared: the session recognises it and runs a call's first attempt
     * without Failsafe (it has no result conditions that could want to see a success).
     */
    private static final RetryPolicy<Object> DEFAULT_EXECUTE = backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
            .handle(Exception.class)
            .abortOn(TransportQueryException.class)
            .abortIf((result, failure) -> failure instanceof TransportException transport && !transport.isRetryable())
            .withMaxAttempts(5)
            .build();
    private static final RetryPolicy<Object> NO_EXECUTE_RETRY = RetryPolicy.builder().withMaxRetries(0).build();

    static {
        // After the policies above: static fields initialise in order, and the builder reads them.
        DEFAULTS = new Builder().build();
    }

    private final RetryPolicy<Object> retryConnect;
    private final RetryPolicy<Object> retryExecute;
    private final boolean retryUnsafeMutations;
    private final boolean awaitFirstConnection;
    private final ResubscribeHook resubscribeHook;
    private final GraphQLRequest probe;
    private final Duration demandInterval;
    private final Duration maxRetryAfter;

    private Reconnect(Builder builder) {
        this.retryConnect = builder.retryConnect != null ? builder.retryConnect
                : backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)).handle(Exception.class).withMaxRetries(-1).build();
        this.retryExecute = builder.noExecuteRetry ? NO_EXECUTE_RETRY
                : builder.retryExecute != null ? builder.retryExecute : DEFAULT_EXECUTE;
        this.retryUnsafeMutations = builder.retryUnsafeMutations;
        this.awaitFirstConnection = builder.awaitFirstConnection;
        this.resubscribeHook = builder.resubscribeHook;
        this.probe = builder.probe;
        this.demandInterval = builder.demandInterval;
        this.maxRetryAfter = builder.maxRetryAfter;
    }

    /** The seed's behaviour; see {@link Builder} for every default. */
    public static Reconnect defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A Failsafe policy builder with exponential backoff and jitter, as gql's {@code backoff.expo}:
     * the n-th retry waits a random time between half and all of {@code first × 2^(n-1)}, and
     * never more than {@code max}. Add what to handle and how many tries.
     *
     * <pre>{@code
     * RetryPolicy<Object> policy = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
     *     .handle(Exception.class).withMaxRetries(-1).build();
     * }</pre>
     */
    public static RetryPolicyBuilder<Object> backoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < first <= max, got " + first + " and " + max);
        }
        // Failsafe's own jitter is applied after its cap, so delays could exceed max; this keeps
        // the seed's promise that no wait is longer than the cap.
        return RetryPolicy.builder().withDelayFn(context -> {
            int retry = Math.max(1, context.getAttemptCount());
            long ceiling = first.toNanos();
            for (int i = 1; i < retry && ceiling < max.toNanos(); i++) {
                ceiling *= 2;
            }
            ceiling = Math.min(ceiling, max.toNanos());
            return Duration.ofNanos(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
        });
    }

    /**
     * A builder starting from these options, to derive variants.
     *
     * <pre>{@code
     * Reconnect startEvenIfDown = options.toBuilder().awaitFirstConnection(false).build();
     * }</pre>
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.retryConnect = retryConnect;
        builder.retryExecute = retryExecute;
        builder.retryUnsafeMutations = retryUnsafeMutations;
        builder.awaitFirstConnection = awaitFirstConnection;
        builder.resubscribeHook = resubscribeHook;
        builder.probe = probe;
        builder.demandInterval = demandInterval;
        builder.maxRetryAfter = maxRetryAfter;
        if (retryExecute == NO_EXECUTE_RETRY) {
            builder.noExecuteRetry = true;
        } else if (retryExecute == DEFAULT_EXECUTE) {
            builder.retryExecute = null;
        }
        return builder;
    }

    /** The policy for opening a link. */
    public RetryPolicy<Object> retryConnect() {
        return retryConnect;
    }

    /** The policy for each execute. */
    public RetryPolicy<Object> retryExecute() {
        return retryExecute;
    }

    /** Whether executes are retried at all (not after {@link Builder#noExecuteRetry()}). */
    public boolean retriesExecute() {
        return retryExecute != NO_EXECUTE_RETRY;
    }

    /** Whether the execute policy is jgql's default (or no retry at all): one the session knows has no result conditions. */
    public boolean hasDefaultExecutePolicy() {
        return retryExecute == DEFAULT_EXECUTE || retryExecute == NO_EXECUTE_RETRY;
    }

    /** How soon a link is tried again while calls wait for it, however long the connect backoff has grown. */
    public Duration demandInterval() {
        return demandInterval;
    }

    /** The longest {@code Retry-After} a call waits before its next attempt; a longer one ends the retries. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Whether mutations may be retried even when they may already have been applied. */
    public boolean retryUnsafeMutations() {
        return retryUnsafeMutations;
    }

    /** Whether {@code connectAsync} completes only once the first link is up. */
    public boolean awaitFirstConnection() {
        return awaitFirstConnection;
    }

    /** The resubscription hook, or {@code null} when subscriptions end with their link. */
    public ResubscribeHook resubscribeHook() {
        return resubscribeHook;
    }

    /**
     * The request that checks a backend is reachable, for transports without a link of their own (HTTP).
     *
     * @return the probe set with the deprecated {@link Builder#probe}, or {@code null}
     * @deprecated set the probe on the transport: {@code HttpTransport.Builder.probe}
     */
    @Deprecated
    public GraphQLRequest probe() {
        return probe;
    }

    /**
     * Chooses the request that resubscribes a subscription after a reconnect: the place to resume
     * from a cursor. Called on a jgql thread; must return quickly.
     *
     * <pre>{@code
     * Reconnect.builder().resubscribe((request, lastEvent) -> lastEvent == null ? request
     *     : request.withVariables(Map.of("after", lastEvent.data().get("cursor"))));
     * }</pre>
     */
    @FunctionalInterface
    public interface ResubscribeHook {
        /**
         * @param request   the request the subscription last ran with
         * @param lastEvent the last event delivered before the link broke, or {@code null}
         * @return the request to subscribe with now
         */
        GraphQLRequest next(GraphQLRequest request, ExecutionResult lastEvent);
    }

    /** Builds {@link Reconnect} options. Not thread-safe. */
    public static final class Builder {
        private RetryPolicy<Object> retryConnect;
        private RetryPolicy<Object> retryExecute;
        private boolean noExecuteRetry;
        private boolean retryUnsafeMutations;
        private boolean awaitFirstConnection = true;
        private ResubscribeHook resubscribeHook;
        private GraphQLRequest probe;
        private Duration demandInterval = Duration.ofSeconds(1);
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * The policy for opening a link, first and after every break. Default: any exception,
         * forever, exponential backoff from 1 s with jitter, capped at 60 s ({@link #backoff}).
         * If a policy gives up, requests waiting for the link fail with the last connect failure
         * and the next request starts connecting again.
         */
        public Builder retryConnect(RetryPolicy<Object> retryConnect) {
            this.retryConnect = Objects.requireNonNull(retryConnect, "retryConnect");
            return this;
        }

        /**
         * The policy for each execute. Default: at most 5 attempts, exponential backoff from
         * 200 ms with jitter, capped at 5 s, never on {@link TransportQueryException} nor on a
         * failure that is not {@link TransportException#isRetryable() retryable} (credentials
         * refused, a request the server rejects as malformed). Whatever the policy, GraphQL errors
         * are answers and are never retried, local mistakes (validation) are never retried, and a
         * mutation is retried only when provably not sent unless the call is
         * {@link CallOptions.Builder#idempotent idempotent} or {@link #retryUnsafeMutations} is set.
         * Each attempt is bounded by the execute timeout; with the defaults a call takes at most
         * 5 × 10 s plus about 3 s of backoff (and any {@code Retry-After}, up to
         * {@link #maxRetryAfter}), unless it sets a {@link CallOptions.Builder#deadline deadline}.
         */
        public Builder retryExecute(RetryPolicy<Object> retryExecute) {
            this.retryExecute = Objects.requireNonNull(retryExecute, "retryExecute");
            this.noExecuteRetry = false;
            return this;
        }

        /** Each execute is tried once (gql's {@code retry_execute=False}). Default: retries on. */
        public Builder noExecuteRetry() {
            this.noExecuteRetry = true;
            this.retryExecute = null;
            return this;
        }

        /**
         * Whether a mutation may be retried after a failure that may have happened after the
         * server received it — so it may be applied twice. Only for idempotent mutations.
         * Default {@code false}: a mutation is retried only when the request provably never left.
         */
        public Builder retryUnsafeMutations(boolean retryUnsafeMutations) {
            this.retryUnsafeMutations = retryUnsafeMutations;
            return this;
        }

        /**
         * Whether {@code connectAsync} completes only once the first link is up (as in gql).
         * {@code false} completes it at once, so a service can start while its backend is down;
         * requests then wait for the link up to their timeout. Default {@code true}.
         */
        public Builder awaitFirstConnection(boolean awaitFirstConnection) {
            this.awaitFirstConnection = awaitFirstConnection;
            return this;
        }

        /**
         * Resubscribes active subscriptions after a reconnect with this hook choosing the request
         * (same request, or fresh variables to resume from a cursor). The transport gives the new
         * operation a new id; a subscriber that implements {@link ResubscriptionListener} is told,
         * because events may have been missed. Default: off — a broken link ends subscriptions with
         * {@link TransportClosedException}, as in gql.
         */
        public Builder resubscribe(ResubscribeHook hook) {
            this.resubscribeHook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** {@link #resubscribe(ResubscribeHook)} with the same request each time. */
        public Builder resubscribe() {
            return resubscribe((request, lastEvent) -> request);
        }

        /**
         * The request sent to check that a backend without a link of its own (HTTP) is reachable
         * again after a failure. Default: the transport's own ({@code query jgqlProbe { __typename }}).
         *
         * @deprecated set it on the transport, {@code HttpTransport.Builder.probe}, where it now
         *             belongs; this one is still honoured when the transport has none of its own.
         *             Goes in the release after next.
         */
        @Deprecated
        public Builder probe(GraphQLRequest probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * While calls wait for a link that is down, the next connect attempt comes within this
         * interval however long the connect backoff has grown, so that the first request after the
         * backend returns succeeds within about this long. With nobody waiting, the connect policy's
         * backoff alone applies. Default 1 second.
         */
        public Builder demandInterval(Duration demandInterval) {
            this.demandInterval = dev.jgql.internal.Checks.positive(demandInterval, "demandInterval");
            return this;
        }

        /**
         * The longest {@code Retry-After} (429, 503) a call waits before its next attempt; when the
         * server asks for longer, the call ends with that failure instead. Default 60 seconds.
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative: " + maxRetryAfter);
            }
            return this;
        }

        public Reconnect build() {
            return new Reconnect(this);
        }
    }
}

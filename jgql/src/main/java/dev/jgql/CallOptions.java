package dev.jgql;

import dev.jgql.internal.Checks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one call runs: its time bounds, extra headers, whether a mutation may be retried, whether it
 * waits for a link that is down. Immutable. Set a client-wide default with
 * {@link Client.Builder#defaultCallOptions}; options given to a call override it setting by
 * setting.
 *
 * <pre>{@code
 * // a web handler: answer 503 at once during an outage, never hold a request more than 3 s
 * CallOptions web = CallOptions.builder()
 *     .failFast(true)
 *     .deadline(Duration.ofSeconds(3))
 *     .header("X-Request-Id", requestId)
 *     .build();
 * Map<String, Object> data = session.execute(query, web).join();
 *
 * // a mutation the server applies idempotently (it carries its own request id): retries are safe
 * session.execute(increment, CallOptions.builder().idempotent(true).build());
 * }</pre>
 */
public final class CallOptions {
    private static final CallOptions NONE = builder().build();

    private final Duration timeout;
    private final Duration deadline;
    private final Map<String, String> headers;
    private final Boolean idempotent;
    private final Boolean failFast;
    private final Boolean retry;
    private final Boolean serializeVariables;
    private final Boolean parseResults;

    private CallOptions(Builder builder) {
        this.timeout = builder.timeout;
        this.deadline = builder.deadline;
        this.headers = Map.copyOf(builder.headers);
        this.idempotent = builder.idempotent;
        this.failFast = builder.failFast;
        this.retry = builder.retry;
        this.serializeVariables = builder.serializeVariables;
        this.parseResults = builder.parseResults;
    }

    /**
     * Options that set nothing: every setting comes from the client's defaults.
     *
     * @return the empty options
     */
    public static CallOptions none() {
        return NONE;
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.timeout = timeout;
        builder.deadline = deadline;
        builder.headers.putAll(headers);
        builder.idempotent = idempotent;
        builder.failFast = failFast;
        builder.retry = retry;
        builder.serializeVariables = serializeVariables;
        builder.parseResults = parseResults;
        return builder;
    }

    /**
     * These options over {@code defaults}: each setting that is set here wins; headers are merged,
     * these replacing those of the same name.
     *
     * @param defaults the options to fill the gaps from
     * @return the merged options
     */
    public CallOptions over(CallOptions defaults) {
        if (defaults == NONE || defaults == this) {
            return this;
        }
        if (this == NONE) {
            return defaults;
        }
        Builder merged = defaults.toBuilder();
        if (timeout != null) {
            merged.timeout = timeout;
        }
        if (deadline != null) {
            merged.deadline = deadline;
        }
        merged.headers.putAll(headers);
        if (idempotent != null) {
            merged.idempotent = idempotent;
        }
        if (failFast != null) {
            merged.failFast = failFast;
        }
        if (retry != null) {
            merged.retry = retry;
        }
        if (serializeVariables != null) {
            merged.serializeVariables = serializeVariables;
        }
        if (parseResults != null) {
            merged.parseResults = parseResults;
        }
        return merged.build();
    }

    /** @return how long each attempt may take, if set; else the client's execute timeout applies */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return how long the whole call may take (waits, attempts, backoff), if set */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** @return extra request headers (HTTP-based transports); empty if none */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return whether a mutation may be retried even after it may have reached the server; default false */
    public boolean idempotent() {
        return idempotent != null && idempotent;
    }

    /** @return whether the call fails at once while its link is down, instead of waiting; default false */
    public boolean failFast() {
        return failFast != null && failFast;
    }

    /** @return whether the permanent session may retry this call under its execute policy; default true */
    public boolean retry() {
        return retry == null || retry;
    }

    /**
     * @return whether values of the client's custom scalars and enums in the variables are
     *         serialised with their codecs; empty when the client's setting applies
     */
    public Optional<Boolean> serializeVariables() {
        return Optional.ofNullable(serializeVariables);
    }

    /**
     * @return whether custom scalars and enums in the answer are parsed into their Java types;
     *         empty when the client's setting applies
     */
    public Optional<Boolean> parseResults() {
        return Optional.ofNullable(parseResults);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("CallOptions{");
        if (timeout != null) {
            text.append("timeout=").append(timeout).append(' ');
        }
        if (deadline != null) {
            text.append("deadline=").append(deadline).append(' ');
        }
        if (!headers.isEmpty()) {
            text.append("headers=").append(headers.keySet()).append(' ');
        }
        if (idempotent != null) {
            text.append("idempotent=").append(idempotent).append(' ');
        }
        if (failFast != null) {
            text.append("failFast=").append(failFast).append(' ');
        }
        if (retry != null) {
            text.append("retry=").append(retry).append(' ');
        }
        if (serializeVariables != null) {
            text.append("serializeVariables=").append(serializeVariables).append(' ');
        }
        if (parseResults != null) {
            text.append("parseResults=").append(parseResults).append(' ');
        }
        return text.toString().strip() + '}';
    }

    /** Builds {@link CallOptions}; a setting left alone falls back to the client's default. Not thread-safe. */
    public static final class Builder {
        private Duration timeout;
        private Duration deadline;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Boolean idempotent;
        private Boolean failFast;
        private Boolean retry;
        private Boolean serializeVariables;
        private Boolean parseResults;

        private Builder() {
        }

        /**
         * How long each attempt may take, waiting for a link included; a hung attempt is
         * abandoned and, if the execute policy allows, retried. Default: the client's
         * {@link Client.Builder#executeTimeout execute timeout} (10 seconds).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /**
         * How long the whole call may take: every attempt, every wait for a link, every backoff
         * and {@code Retry-After}. When it passes, the call fails with the last failure (or a
         * {@link TransportTimeoutException}) and nothing more is tried. Default: none; the call is
         * bounded by its attempts (see {@link Reconnect.Builder#retryExecute}).
         *
         * @param deadline a positive duration, counted from the call
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline");
            return this;
        }

        /**
         * An extra header for this call, over the transport's own (HTTP-based transports; a
         * WebSocket carries headers in its handshake only, so they are ignored there). Never
         * logged. Default: none.
         *
         * @param name  the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Whether this mutation is idempotent, so that retrying it after it may have reached the
         * server is safe (the server deduplicates, or applying it twice changes nothing). Default
         * {@code false}: a mutation is retried only when it provably never left the client.
         *
         * @param idempotent whether it is
         * @return this builder
         */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * Whether the call fails at once with a {@link TransportClosedException} (carrying the
         * last connection failure) while the permanent session's link is down, instead of waiting
         * for it: what a web service wants during an outage. Default {@code false}: wait, up to
         * the timeout.
         *
         * @param failFast whether to fail fast
         * @return this builder
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * Whether the permanent session may retry this call under its execute policy. Default
         * {@code true}.
         *
         * @param retry {@code false} to try once
         * @return this builder
         */
        public Builder retry(boolean retry) {
            this.retry = retry;
            return this;
        }

        /**
         * Whether values of custom scalars and enums in this call's variables are serialised with
         * the client's {@link dev.jgql.schema.Scalars codecs}: gql's per-call
         * {@code serialize_variables}. Default: the client's
         * {@link Client.Builder#serializeVariables setting}.
         *
         * @param serializeVariables whether to serialise
         * @return this builder
         */
        public Builder serializeVariables(boolean serializeVariables) {
            this.serializeVariables = serializeVariables;
            return this;
        }

        /**
         * Whether custom scalars and enums in this call's answer are parsed into their Java types
         * with the client's {@link dev.jgql.schema.Scalars codecs}: gql's per-call
         * {@code parse_result}. Default: the client's {@link Client.Builder#parseResults setting}.
         *
         * @param parseResults whether to parse
         * @return this builder
         */
        public Builder parseResults(boolean parseResults) {
            this.parseResults = parseResults;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public CallOptions build() {
            return new CallOptions(this);
        }
    }
}

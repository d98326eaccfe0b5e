package dev.jgql.engine;

import dev.jgql.internal.Checks;

import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What a transport asks of the engine it opens: how long connecting may take, which TLS context
 * to trust with, which HTTP version to prefer. Immutable.
 *
 * <pre>{@code
 * EngineSettings settings = EngineSettings.builder()
 *     .connectTimeout(Duration.ofSeconds(5))
 *     .httpVersion(HttpClient.Version.HTTP_2)
 *     .build();
 * HttpEngine engine = JdkEngine.create().newHttpEngine(settings);
 * }</pre>
 */
public final class EngineSettings {
    private static final EngineSettings DEFAULTS = builder().build();

    private final Duration connectTimeout;
    private final SSLContext sslContext;
    private final HttpClient.Version httpVersion;
    private final Executor executor;
    private final String name;
    private final int longLivedResponses;

    private EngineSettings(Builder builder) {
        this.longLivedResponses = builder.longLivedResponses;
        this.connectTimeout = builder.connectTimeout;
        this.sslContext = builder.sslContext;
        this.httpVersion = builder.httpVersion;
        this.executor = builder.executor;
        this.name = builder.name;
    }

    /**
     * The settings with every default.
     *
     * @return the defaults of {@link Builder}
     */
    public static EngineSettings defaults() {
        return DEFAULTS;
    }

    /**
     * How many responses may stay open for a long time at once per host (event streams, multipart
     * subscriptions: each holds an HTTP/1.1 connection for as long as it lasts), or 0 when the
     * transport streams nothing long-lived. An engine that caps its HTTP/1.1 connections per host
     * raises its cap by this much, so that open streams never keep other requests waiting.
     *
     * @return the number of long-lived responses to allow for; 0 by default
     */
    public int longLivedResponses() {
        return longLivedResponses;
    }

    /**
     * A builder with every setting at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long opening a TCP (and TLS) connection may take.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The TLS context to verify servers with, if the application chose one.
     *
     * @return the context, or empty for the engine's default (the JDK's default trust store)
     */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /**
     * The preferred HTTP version for HTTP engines.
     *
     * @return the version to offer; an engine falls back to HTTP/1.1 when the server does not
     *         negotiate HTTP/2
     */
    public HttpClient.Version httpVersion() {
        return httpVersion;
    }

    /**
     * An executor the engine may use for its own tasks instead of starting threads of its own.
     *
     * @return the executor, or empty if the engine should use its own
     */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    /**
     * A short name for the engine's threads and logs, e.g. {@code http} or {@code ws}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /** Builds {@link EngineSettings}. Not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private SSLContext sslContext;
        private HttpClient.Version httpVersion = HttpClient.Version.HTTP_1_1;
        private Executor executor;
        private String name = "engine";
        private int longLivedResponses;

        private Builder() {
        }

        /**
         * How long opening a TCP (and TLS) connection may take. Default 10 seconds.
         *
         * @param connectTimeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * The TLS context to verify servers with. Default: none, the engine's default.
         *
         * @param sslContext the context
         * @return this builder
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * The preferred HTTP version. Default HTTP/1.1.
         *
         * @param httpVersion the version
         * @return this builder
         */
        public Builder httpVersion(HttpClient.Version httpVersion) {
            this.httpVersion = Objects.requireNonNull(httpVersion, "httpVersion");
            return this;
        }

        /**
         * An executor the engine may use for its tasks. Default: none.
         *
         * @param executor the executor; the engine never shuts it down
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * A short name for threads and logs. Default {@code engine}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * How many long-lived responses (event streams) to allow for per host; see
         * {@link EngineSettings#longLivedResponses()}. Default 0.
         *
         * @param longLivedResponses 0 or more
         * @return this builder
         */
        public Builder longLivedResponses(int longLivedResponses) {
            if (longLivedResponses < 0) {
                throw new IllegalArgumentException("longLivedResponses must not be negative: " + longLivedResponses);
            }
            this.longLivedResponses = longLivedResponses;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return immutable settings
         */
        public EngineSettings build() {
            return new EngineSettings(this);
        }
    }
}

package dev.jgql.transport.sse;

import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.engine.Engine;
import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.JdkEngine;
import dev.jgql.internal.Checks;
import dev.jgql.internal.TransportFailures;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.jgql.internal.Checks.positive;

/**
 * GraphQL over server-sent events, the graphql-sse protocol in its <em>distinct connections</em>
 * mode: every operation (query, mutation or subscription) is one POST with
 * {@code Accept: text/event-stream} whose response is a stream of {@code next} events ended by a
 * {@code complete} event. Spoken by graphql-sse, GraphQL Yoga, Spring for GraphQL (subscriptions
 * only) and jgql's countries backend; on any {@link Engine}.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(SseTransport.builder(URI.create("http://localhost:4000/graphql/stream")).build())
 *     .build();
 * Flow.Publisher<Map<String, Object>> ticks = client.connectAsync(Reconnect.defaults()).join()
 *     .subscribe(Gql.gql("subscription { countdown(from: 3) }"));
 * }</pre>
 *
 * <h2>How things end</h2>
 * <ul>
 *   <li>A response that is not an event stream (graphql-sse answers a request it cannot parse with
 *       HTTP 400 JSON before any stream) is classified as GraphQL over HTTP says: GraphQL errors
 *       are a result with errors (a {@link dev.jgql.TransportQueryException} for sessions), any
 *       other error status a {@link dev.jgql.TransportServerException}.</li>
 *   <li>A stream that ends, breaks, or stays silent (no event and no keep-alive comment) for longer
 *       than the {@link Builder#idleTimeout idle timeout} before its {@code complete} event ends its
 *       operation with a {@link dev.jgql.TransportConnectionFailedException} (a
 *       {@link dev.jgql.TransportClosedException}) saying the request may have reached the server,
 *       so the permanent session never sends a mutation twice, and resubscribes (when asked to)
 *       after checking that the server answers again.</li>
 *   <li>An event that is not JSON ends its operation with a
 *       {@link dev.jgql.TransportProtocolException}.</li>
 *   <li>Results with {@code @defer}/{@code @stream} payloads are merged: {@code execute} returns
 *       the final merged data; a subscription emits the data so far after each payload.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. Each {@link #connect} makes its own engine and a small pool of
 * daemon threads ({@code jgql-sse-N-M}) that deliver results, released by the connection's close.
 */
public final class SseTransport implements Transport {
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "content-type");
    private static final GraphQLRequest DEFAULT_PROBE = Gql.gql("query jgqlProbe { __typename }", "jgqlProbe");
    /** How long a probe may wait for its answer once connected: {@code __typename} needs no more. */
    private static final Duration PROBE_ANSWER_TIME = Duration.ofSeconds(5);

    final URI uri;
    final String redactedUri;
    final Map<String, String> headers;
    final Function<GraphQLRequest, Map<String, String>> headerSupplier;
    final GraphQLRequest probe;
    final Duration idleTimeout;
    final int maxMessageSize;
    final int subscriptionBufferSize;
    final Engine engine;
    final EngineSettings engineSettings;

    private SseTransport(Builder builder) {
        this.uri = builder.uri;
        this.redactedUri = TransportFailures.redact(builder.uri);
        this.headers = Map.copyOf(builder.headers);
        this.headerSupplier = builder.headerSupplier;
        this.probe = builder.probe;
        this.idleTimeout = builder.idleTimeout;
        this.maxMessageSize = builder.maxMessageSize;
        this.subscriptionBufferSize = builder.subscriptionBufferSize;
        this.engine = builder.engine;
        EngineSettings.Builder settings = EngineSettings.builder()
                .name("sse")
                .connectTimeout(builder.connectTimeout)
                .httpVersion(builder.httpVersion != null ? builder.httpVersion
                        : "https".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        if (builder.sslContext != null) {
            settings.sslContext(builder.sslContext);
        }
        this.engineSettings = settings.build();
    }

    /**
     * A builder for the graphql-sse endpoint at {@code uri} ({@code http} or {@code https}).
     *
     * <pre>{@code
     * SseTransport transport = SseTransport.builder(URI.create("https://host/graphql/stream")).build();
     * }</pre>
     *
     * @throws IllegalArgumentException if the URI is not absolute http(s)
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The endpoint. */
    public URI uri() {
        return uri;
    }

    /** Opens a connection at once: each operation opens its own stream, so nothing goes on the wire yet. */
    @Override
    public CompletableFuture<TransportConnection> connect(TransportContext context) {
        Objects.requireNonNull(context, "context");
        try {
            return CompletableFuture.completedFuture(new SseConnection(this, context));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new dev.jgql.TransportException("The engine " + engine
                    + " could not open an HTTP engine for " + redactedUri + ": " + e, e));
        }
    }

    /**
     * After a stream broke: sends the {@link Builder#probe probe} over a fresh stream and, once the
     * server answers, hands the same connection back, so the other streams on it go on. A
     * connection that was closed, or is not this transport's, is replaced.
     */
    @Override
    public CompletableFuture<TransportConnection> reconnect(TransportConnection broken, TransportContext context) {
        if (broken instanceof SseConnection sse && sse.isOpen() && sse.belongsTo(this)) {
            GraphQLRequest request = probe != null ? probe : context.probe() != null ? context.probe() : DEFAULT_PROBE;
            return sse.reachable(request, engineSettings.connectTimeout().plus(PROBE_ANSWER_TIME));
        }
        broken.close();
        return connect(context);
    }

    @Override
    public String toString() {
        return "SseTransport{" + redactedUri + ", " + engineSettings.httpVersion() + ", " + engine + '}';
    }

    /** Builds an {@link SseTransport}. Not thread-safe. Every setting has a default, given on its method. */
    public static final class Builder {
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Function<GraphQLRequest, Map<String, String>> headerSupplier = request -> Map.of();
        private GraphQLRequest probe;
        private HttpClient.Version httpVersion;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private SSLContext sslContext;
        private int maxMessageSize = 16 * 1024 * 1024;
        private int subscriptionBufferSize = 1024;
        private Engine engine = JdkEngine.create();

        private Builder(URI uri) {
            this.uri = Checks.endpoint(uri, "An SSE transport", "for ws:// use WebSocketTransport", "http", "https");
        }

        /**
         * A header sent with every request. {@code Accept} and {@code Content-Type} are set by jgql
         * (graphql-sse recognises a stream request only by the exact {@code Accept:
         * text/event-stream}) and cannot be changed. Default: none.
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("The " + name + " header is set by jgql as graphql-sse requires");
            }
            headers.put(name, value);
            return this;
        }

        /** {@link #header} for each entry. */
        public Builder headers(Map<String, String> headers) {
            headers.forEach(this::header);
            return this;
        }

        /**
         * Headers computed for every request, after the static ones: the place for a token that is
         * refreshed. Called on the calling thread; must be fast and thread-safe. Default: none.
         */
        public Builder headerSupplier(Supplier<Map<String, String>> headerSupplier) {
            Objects.requireNonNull(headerSupplier, "headerSupplier");
            this.headerSupplier = request -> headerSupplier.get();
            return this;
        }

        /**
         * The request the permanent session sends, after a stream broke, to learn that the server
         * answers again; any GraphQL answer (errors included) or a client error other than 408 and
         * 429 counts. Default: {@code query jgqlProbe { __typename }}.
         */
        public Builder probe(GraphQLRequest probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * The preferred HTTP version. Default: HTTP/2 for {@code https}, HTTP/1.1 for {@code http}.
         */
        public Builder httpVersion(HttpClient.Version httpVersion) {
            this.httpVersion = Objects.requireNonNull(httpVersion, "httpVersion");
            return this;
        }

        /** How long opening a TCP (and TLS) connection may take. Default 10 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long a stream may stay silent (no byte of its body: no event and no keep-alive
         * comment), from the request until its {@code complete} event, before it is treated as a
         * dead link. graphql-sse
         * and Yoga send a keep-alive comment every 12 seconds; Spring for GraphQL only with
         * {@code spring.graphql.http.sse.keep-alive} set. {@link Duration#ZERO} turns the check
         * off. Default 30 seconds.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.notNegative(idleTimeout, "idleTimeout");
            return this;
        }

        /** The TLS context, e.g. one that trusts a private CA. Default: the JDK's default context. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * The largest event (and the largest non-stream response) read, in bytes; a larger one ends
         * its operation with a {@link dev.jgql.TransportProtocolException}. Default 16 MiB.
         */
        public Builder maxMessageSize(int maxMessageSize) {
            if (maxMessageSize < 1024) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes: " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * How many events of one subscription may wait for the subscriber's demand; beyond that the
         * subscription ends with {@link dev.jgql.SubscriptionBufferOverflowException}. Default 1024.
         */
        public Builder subscriptionBufferSize(int subscriptionBufferSize) {
            if (subscriptionBufferSize < 1) {
                throw new IllegalArgumentException("subscriptionBufferSize must be at least 1: " + subscriptionBufferSize);
            }
            this.subscriptionBufferSize = subscriptionBufferSize;
            return this;
        }

        /**
         * The engine that puts the bytes on the wire, e.g. {@code VertxEngine.create()} from
         * {@code jgql-vertx}. Default {@link JdkEngine#create()}.
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Builds the transport. */
        public SseTransport build() {
            return new SseTransport(this);
        }
    }
}

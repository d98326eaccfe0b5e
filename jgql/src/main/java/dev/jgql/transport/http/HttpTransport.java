package dev.jgql.transport.http;

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
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.jgql.internal.Checks.positive;

/**
 * GraphQL over HTTP: POST with a JSON body, or GET for queries when enabled; HTTP/1.1 or HTTP/2;
 * TLS verified by default; on any {@link Engine} (the JDK's {@link HttpClient} by default, Vert.x
 * with {@code jgql-vertx}). Responses are classified as the GraphQL
 * over HTTP specification says: a GraphQL body is a result whatever its status (errors included);
 * any other body with an error status is a {@link dev.jgql.TransportServerException}; a malformed
 * 2xx body is a {@link dev.jgql.TransportProtocolException}; a refused, reset or timed-out
 * exchange is a {@link dev.jgql.TransportConnectionFailedException}.
 *
 * <pre>{@code
 * HttpTransport transport = HttpTransport.builder(URI.create("https://host/graphql"))
 *     .header("User-Agent", "my-service/1.0")
 *     .headerSupplier(() -> Map.of("Authorization", "Bearer " + tokens.current()))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Each {@link #connect} makes its own engine (for the JDK engine:
 * an {@link HttpClient} with its own connection pool and threads), released when the connection
 * closes.
 */
public final class HttpTransport implements Transport {
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "content-type");
    /** What a request whose document uses {@code @defer}/{@code @stream} accepts by default (both formats in use, then JSON). */
    public static final String INCREMENTAL_ACCEPT = "multipart/mixed; incrementalSpec=v0.2, multipart/mixed; "
            + "deferSpec=20220824, application/graphql-response+json, application/json;q=0.9";
    /** What a multipart subscription accepts: Apollo's protocol, or one JSON result. */
    static final String SUBSCRIPTION_ACCEPT = "multipart/mixed;subscriptionSpec=1.0, application/json";
    private static final GraphQLRequest DEFAULT_PROBE = Gql.gql("query jgqlProbe { __typename }", "jgqlProbe");
    /** How long a probe may wait for its answer once connected: {@code __typename} needs no more. */
    private static final Duration PROBE_ANSWER_TIME = Duration.ofSeconds(5);

    final URI uri;
    /** The URI as messages show it, computed once: without user info and query, which may hold credentials. */
    final String redactedUri;
    final Function<GraphQLRequest, Map<String, String>> headerSupplier;
    final GraphQLRequest probe;
    final boolean getForQueries;
    final Duration requestTimeout;
    final long maxResponseSize;
    final Engine engine;
    final EngineSettings engineSettings;
    /** Every header of a POST, and of a GET, but the header supplier's: computed once, shared by every request. */
    final HttpHeaders postHeaders;
    final HttpHeaders getHeaders;
    /** The headers of a POST whose document uses {@code @defer} or {@code @stream}, and of a multipart subscription. */
    final HttpHeaders incrementalHeaders;
    final HttpHeaders subscriptionHeaders;
    final boolean multipartSubscriptions;

    private HttpTransport(Builder builder) {
        this.uri = builder.uri;
        this.redactedUri = TransportFailures.redact(builder.uri);
        this.headerSupplier = builder.headerSupplier;
        this.probe = builder.probe;
        this.getForQueries = builder.getForQueries;
        this.requestTimeout = builder.requestTimeout;
        this.maxResponseSize = builder.maxResponseSize;
        this.engine = builder.engine;
        EngineSettings.Builder settings = EngineSettings.builder()
                .name("http")
                .connectTimeout(builder.connectTimeout)
                .httpVersion(builder.httpVersion != null ? builder.httpVersion
                        : "https".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        if (builder.sslContext != null) {
            settings.sslContext(builder.sslContext);
        }
        this.engineSettings = settings.build();
        // A CSRF-guarded server (Apollo) refuses a GET without a preflight header; others ignore it.
        this.getHeaders = fixedHeaders(builder.headers, "Accept", HttpConnection.ACCEPT, "Apollo-Require-Preflight", "true");
        this.postHeaders = fixedHeaders(builder.headers, "Accept", HttpConnection.ACCEPT, "Content-Type", "application/json");
        this.incrementalHeaders = fixedHeaders(builder.headers, "Accept", builder.incrementalAccept,
                "Content-Type", "application/json");
        this.subscriptionHeaders = fixedHeaders(builder.headers, "Accept", SUBSCRIPTION_ACCEPT,
                "Content-Type", "application/json");
        this.multipartSubscriptions = builder.multipartSubscriptions;
    }

    private static HttpHeaders fixedHeaders(Map<String, String> configured, String... protocol) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < protocol.length; i += 2) {
            headers.put(protocol[i], List.of(protocol[i + 1]));
        }
        configured.forEach((name, value) -> headers.put(name, List.of(value)));
        return HttpHeaders.of(headers, (name, value) -> true);
    }

    /**
     * A builder for the GraphQL endpoint at {@code uri} ({@code http} or {@code https}).
     *
     * @throws IllegalArgumentException if the URI is not absolute http(s)
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The GraphQL endpoint. */
    public URI uri() {
        return uri;
    }

    /**
     * Opens a connection at once: HTTP has no link to establish (connections are opened, pooled
     * and reopened per request), so nothing goes on the wire and the server's reachability is
     * learned from requests, as in gql.
     */
    @Override
    public CompletableFuture<TransportConnection> connect(TransportContext context) {
        Objects.requireNonNull(context, "context");
        try {
            return CompletableFuture.completedFuture(new HttpConnection(this, context));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new dev.jgql.TransportException("The engine " + engine
                    + " could not open an HTTP engine for " + redactedUri + ": " + e, e));
        }
    }

    /**
     * After a request found the server unreachable: sends the {@link Builder#probe probe} on fresh
     * connections of the same engine and, once the server answers, hands the same connection back,
     * so requests still in flight on it are not cut off. A connection that was closed, or is not
     * this transport's, is replaced.
     */
    @Override
    public CompletableFuture<TransportConnection> reconnect(TransportConnection broken, TransportContext context) {
        if (broken instanceof HttpConnection http && http.isOpen() && http.belongsTo(this)) {
            GraphQLRequest request = probe != null ? probe : context.probe() != null ? context.probe() : DEFAULT_PROBE;
            return http.reachable(request, engineSettings.connectTimeout().plus(PROBE_ANSWER_TIME));
        }
        broken.close();
        return connect(context);
    }

    @Override
    public String toString() {
        return "HttpTransport{" + redactedUri + ", " + engineSettings.httpVersion() + ", " + engine + '}';
    }

    /**
     * Builds an {@link HttpTransport}. Not thread-safe. Every setting has a default, given on its
     * method.
     */
    public static final class Builder {
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Function<GraphQLRequest, Map<String, String>> headerSupplier = request -> Map.of();
        private GraphQLRequest probe;
        private boolean getForQueries;
        private HttpClient.Version httpVersion;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout;
        private SSLContext sslContext;
        private long maxResponseSize = 16 * 1024 * 1024;
        private Engine engine = JdkEngine.create();
        private boolean engineSupplied;
        private HttpClient httpClient;
        private String incrementalAccept = INCREMENTAL_ACCEPT;
        private boolean multipartSubscriptions;

        private Builder(URI uri) {
            this.uri = Checks.endpoint(uri, "An HTTP transport", "for ws:// use WebSocketTransport", "http", "https");
        }

        /**
         * A header sent with every request. {@code Accept} and {@code Content-Type} are set by jgql
         * and cannot be changed. Default: none.
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("The " + name + " header is set by jgql as GraphQL over HTTP requires");
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
         * Headers computed for every request (every attempt), after the static ones (and replacing
         * those of the same name): the place for a token that is refreshed. A call's own headers
         * ({@link dev.jgql.CallOptions.Builder#header}) go over these. Called on the calling
         * thread; must be fast and thread-safe. Default: none.
         */
        public Builder headerSupplier(Supplier<Map<String, String>> headerSupplier) {
            Objects.requireNonNull(headerSupplier, "headerSupplier");
            this.headerSupplier = request -> headerSupplier.get();
            return this;
        }

        /**
         * Like {@link #headerSupplier(Supplier)}, but given the request each set of headers is for,
         * e.g. to route by operation name or type.
         *
         * <pre>{@code
         * .headerSupplier(request -> Map.of("X-Operation", request.operationName().orElse("anonymous")))
         * }</pre>
         */
        public Builder headerSupplier(Function<GraphQLRequest, Map<String, String>> headerSupplier) {
            this.headerSupplier = Objects.requireNonNull(headerSupplier, "headerSupplier");
            return this;
        }

        /**
         * The request the permanent session sends, on fresh connections, to learn that a server
         * found unreachable answers again; any GraphQL answer (errors included) or a client error
         * other than 408 and 429 counts. It is bounded by the connect timeout plus 5 seconds.
         * Default: {@code query jgqlProbe { __typename }}.
         */
        public Builder probe(GraphQLRequest probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * Whether queries go as GET requests (cacheable by proxies). Mutations always go as POST.
         * If the server answers GET with 405 or 414, the query is sent again as POST. Default
         * {@code false}: everything is POST.
         */
        public Builder useGetForQueries(boolean getForQueries) {
            this.getForQueries = getForQueries;
            return this;
        }

        /**
         * The preferred HTTP version. Default: HTTP/2 for {@code https} (negotiated with ALPN,
         * falling back to HTTP/1.1), HTTP/1.1 for {@code http} (HTTP/2 over cleartext needs an
         * upgrade that not every server or proxy handles well).
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
         * How long one HTTP exchange may take once sent. Default: none, because the client's
         * execute timeout already bounds every call.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * The TLS context, e.g. one that trusts a private CA. Certificates are always verified.
         * Default: the JDK's default context.
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * The largest response body read, in bytes, enforced while reading: a larger one fails
         * the request with {@link dev.jgql.TransportProtocolException} (its connection is closed)
         * instead of filling the heap. Default 16 MiB, as the WebSocket transport's
         * {@code maxMessageSize}.
         */
        public Builder maxResponseSize(long maxResponseSize) {
            if (maxResponseSize < 1024) {
                throw new IllegalArgumentException("maxResponseSize must be at least 1024 bytes: " + maxResponseSize);
            }
            this.maxResponseSize = maxResponseSize;
            return this;
        }

        /**
         * The engine that puts the bytes on the wire, e.g. {@code VertxEngine.create()} from
         * {@code jgql-vertx}. The GraphQL-over-HTTP behaviour is the same on every engine.
         * Default {@link JdkEngine#create()}.
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.engineSupplied = true;
            return this;
        }

        /**
         * An {@link HttpClient} of the application's to send with, instead of one per connection:
         * the same as {@code engine(JdkEngine.using(httpClient))}. jgql never closes it; its own
         * version, timeouts and TLS settings then apply, so this cannot be combined with
         * {@link #httpVersion}, {@link #sslContext} or a non-default {@link #connectTimeout}.
         * Default: none.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The {@code Accept} header of a request whose document uses {@code @defer} or
         * {@code @stream}. Servers answer such a request incrementally as {@code multipart/mixed}
         * (both payload formats in use are merged: {@code execute} returns the final data, a
         * subscription to the query emits the data so far after each part), or with one JSON result.
         * Apollo Server wants {@code incrementalSpec=v0.2} or {@code deferSpec=20220824} named;
         * Yoga takes the first type listed. Default {@link #INCREMENTAL_ACCEPT}.
         */
        public Builder incrementalAccept(String accept) {
            Objects.requireNonNull(accept, "accept");
            if (accept.isBlank() || accept.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("incrementalAccept must be a non-blank header value: " + accept);
            }
            this.incrementalAccept = accept;
            return this;
        }

        /**
         * Whether subscriptions go over HTTP as multipart responses, Apollo Router's protocol
         * ({@code multipart/mixed;subscriptionSpec=1.0}: a part per event, {@code {}} heartbeats,
         * transport errors in the payload ending the stream with a
         * {@link dev.jgql.TransportQueryException}). A stream that breaks ends with a
         * {@link dev.jgql.TransportClosedException}, as over a WebSocket. Default {@code false}:
         * subscribing through an HTTP transport fails with {@link dev.jgql.JgqlUsageException},
         * because most servers take subscriptions over WebSocket or SSE only.
         */
        public Builder multipartSubscriptions(boolean multipartSubscriptions) {
            this.multipartSubscriptions = multipartSubscriptions;
            return this;
        }

        /**
         * Builds the transport.
         *
         * @throws IllegalStateException if {@link #httpClient} is combined with settings it
         *                               overrides, or with {@link #engine}
         */
        public HttpTransport build() {
            if (httpClient != null) {
                if (httpVersion != null || sslContext != null || !connectTimeout.equals(Duration.ofSeconds(10))) {
                    throw new IllegalStateException("A supplied HttpClient brings its own version, TLS and connect "
                            + "timeout: configure them on the HttpClient instead");
                }
                if (engineSupplied) {
                    throw new IllegalStateException("Choose either an engine or an HttpClient: an HttpClient is the "
                            + "JDK engine's, JdkEngine.using(httpClient)");
                }
                engine = JdkEngine.using(httpClient);
            }
            return new HttpTransport(this);
        }
    }
}

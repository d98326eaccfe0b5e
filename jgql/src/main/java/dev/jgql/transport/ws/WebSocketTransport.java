package dev.jgql.transport.ws;

import dev.jgql.TransportException;
import dev.jgql.engine.Engine;
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
import java.util.function.Supplier;

import static dev.jgql.internal.Checks.positive;

/**
 * GraphQL over WebSocket: queries, mutations and subscriptions multiplexed on one socket per
 * connection, on any {@link Engine} (the JDK's {@link java.net.http.WebSocket} by default, Vert.x
 * with {@code jgql-vertx}), with either
 * {@link WebSocketProtocol#GRAPHQL_TRANSPORT_WS graphql-transport-ws} or the legacy
 * {@link WebSocketProtocol#GRAPHQL_WS graphql-ws} protocol.
 *
 * <pre>{@code
 * WebSocketTransport transport = WebSocketTransport.builder(URI.create("wss://host/graphql"))
 *     .initPayloadSupplier(() -> Map.of("Authorization", "Bearer " + tokens.current()))
 *     .build();
 * Client client = Client.builder().transport(transport).build();
 * try (Session session = client.connect()) {
 *     session.subscribe(Gql.gql("subscription { countdown(from: 3) }")).subscribe(subscriber);
 * }
 * }</pre>
 *
 * <h2>What a connection does</h2>
 * <ul>
 *   <li><b>Negotiation.</b> Unless {@link Builder#protocol} forces one, the handshake offers
 *       {@code graphql-transport-ws} only (offering both cannot be made reliable: servers honour
 *       the client's order and then refuse the legacy protocol, or the reverse). If the server
 *       refuses the handshake, answers with no subprotocol, or closes with 1002, 4400 or 4406
 *       before {@code connection_ack}, it connects once more offering only {@code graphql-ws}.
 *       The protocol that worked is remembered by this transport for later connects.
 *   <li><b>Initialisation.</b> {@code connection_init} is sent first, with the init payload
 *       evaluated anew for every connection; {@link #connect} completes once
 *       {@code connection_ack} arrives (a {@code ka} or {@code ping} before it is fine; a second
 *       ack is a protocol violation).
 *   <li><b>Operations.</b> Each operation gets a new id; messages are sent one at a time in
 *       order. A subscription's events wait in a bounded buffer until its subscriber requests
 *       them; cancelling sends {@code complete} ({@code stop} in the legacy protocol). Messages
 *       for ids that are finished are ignored.
 *   <li><b>Liveness.</b> A WebSocket ping frame is sent {@link Builder#pingInterval} after the
 *       last pong; if no pong comes within {@link Builder#pongTimeout}, the link is declared dead
 *       (a half-open TCP connection is found within interval + timeout), aborted, and every
 *       operation fails with {@link WebSocketClosedException} (code 1006). While a query or
 *       mutation waits, a link silent for {@link Builder#livenessTimeout} is pinged at once and
 *       found dead one more liveness timeout later. Server {@code ping} messages are always
 *       answered with {@code pong}.
 *   <li><b>Failures.</b> A close, drop or dead link fails pending operations with
 *       {@link WebSocketClosedException}, whose {@code requestMayHaveBeenSent()} is {@code false}
 *       when the operation's message never left the client. A message that breaks the protocol
 *       (not JSON, unknown type, a second ack, …) closes the link with 4400 and fails every
 *       operation with {@link dev.jgql.TransportProtocolException}. A message larger than
 *       {@link Builder#maxMessageSize} closes it too (reported as 1009).
 *   <li><b>GraphQL errors</b> are results: an {@code execute} completes with an
 *       {@link dev.jgql.ExecutionResult} carrying them; a stream event with errors is delivered
 *       and the stream goes on; an {@code error} message ends a stream with
 *       {@link dev.jgql.TransportQueryException}.
 * </ul>
 *
 * <h2>Threads</h2>
 * Each connection owns a small pool of daemon threads named {@code jgql-ws-N} (also given to the
 * JDK engine for its {@link HttpClient}), shut down when the connection closes. The socket's listener only parses
 * and routes messages; futures are completed and subscribers called on that pool, each
 * subscription through its own serial drain, so a slow subscriber delays only its own events
 * (until its buffer overflows). Every timer runs on the client's scheduler
 * ({@link TransportContext#scheduler()}).
 *
 * <p>Immutable and thread-safe, apart from the remembered protocol.
 */
public final class WebSocketTransport implements Transport {
    /** Headers the JDK WebSocket sets itself and refuses to take from applications. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-key",
            "sec-websocket-protocol", "sec-websocket-version");

    final URI uri;
    /** The URI as messages show it, computed once: without user info and query, which may hold credentials. */
    final String redactedUri;
    final WebSocketProtocol protocol;
    final Map<String, String> headers;
    final Supplier<Map<String, String>> headerSupplier;
    final Engine engine;
    final Supplier<Map<String, Object>> initPayloadSupplier;
    final Duration connectTimeout;
    final Duration ackTimeout;
    final Duration pingInterval;
    final Duration pongTimeout;
    final Duration livenessTimeout;
    final Duration protocolPingInterval;
    final Duration keepAliveTimeout;
    final int subscriptionBufferSize;
    final int maxMessageSize;
    final Duration closeTimeout;
    final SSLContext sslContext;

    /** The protocol that worked on the last auto-negotiated connect, reused for later connects. */
    private volatile WebSocketProtocol detected;

    private WebSocketTransport(Builder builder) {
        this.uri = builder.uri;
        this.redactedUri = TransportFailures.redact(builder.uri);
        this.protocol = builder.protocol;
        this.headers = Map.copyOf(builder.headers);
        this.headerSupplier = builder.headerSupplier;
        this.engine = builder.httpClient != null ? JdkEngine.using(builder.httpClient) : builder.engine;
        this.initPayloadSupplier = builder.initPayloadSupplier;
        this.connectTimeout = builder.connectTimeout;
        this.ackTimeout = builder.ackTimeout;
        this.pingInterval = builder.pingInterval;
        this.pongTimeout = builder.pongTimeout;
        this.livenessTimeout = builder.livenessTimeout;
        this.protocolPingInterval = builder.protocolPingInterval;
        this.keepAliveTimeout = builder.keepAliveTimeout;
        this.subscriptionBufferSize = builder.subscriptionBufferSize;
        this.maxMessageSize = builder.maxMessageSize;
        this.closeTimeout = builder.closeTimeout;
        this.sslContext = builder.sslContext;
    }

    /**
     * A builder for the GraphQL WebSocket endpoint at {@code uri} ({@code ws} or {@code wss}).
     *
     * @throws IllegalArgumentException if the URI is not absolute ws(s) or has a fragment
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The endpoint. */
    public URI uri() {
        return uri;
    }

    /**
     * The protocol connections use: the one forced with {@link Builder#protocol}, else the one a
     * previous connect detected; {@code null} before the first auto-negotiated connect.
     */
    public WebSocketProtocol protocol() {
        return protocol != null ? protocol : detected;
    }

    void detected(WebSocketProtocol protocol) {
        this.detected = protocol;
    }

    WebSocketProtocol detected() {
        return detected;
    }

    @Override
    public CompletableFuture<TransportConnection> connect(TransportContext context) {
        Objects.requireNonNull(context, "context");
        return WebSocketConnector.connect(this, context);
    }

    /** The handshake headers of one connect: the fixed ones, and the supplier's over them. */
    Map<String, String> handshakeHeaders() {
        Map<String, String> dynamic = headerSupplier.get();
        if (dynamic == null || dynamic.isEmpty()) {
            return headers;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        dynamic.forEach((name, value) -> {
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new TransportException("The header supplier of the WebSocket transport for " + redactedUri
                        + " returned " + name + ", which the WebSocket handshake sets itself; nothing was sent");
            }
            merged.put(name, Objects.requireNonNull(value, "the value of header " + name));
        });
        return merged;
    }

    @Override
    public String toString() {
        WebSocketProtocol chosen = protocol();
        return "WebSocketTransport{" + redactedUri + ", " + (chosen == null ? "auto" : chosen.subprotocol()) + ", "
                + engine + '}';
    }

    /**
     * Builds a {@link WebSocketTransport}. Not thread-safe. Every setting has a default, given on
     * its method. Durations of zero switch the corresponding timer off where the method says so.
     */
    public static final class Builder {
        private final URI uri;
        private WebSocketProtocol protocol;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Supplier<Map<String, String>> headerSupplier = Map::of;
        private Engine engine = JdkEngine.create();
        private boolean engineSupplied;
        private Supplier<Map<String, Object>> initPayloadSupplier = () -> null;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration ackTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private Duration livenessTimeout = Duration.ofSeconds(1);
        private Duration protocolPingInterval = Duration.ZERO;
        private Duration keepAliveTimeout = Duration.ZERO;
        private int subscriptionBufferSize = 1024;
        private int maxMessageSize = 16 * 1024 * 1024;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private SSLContext sslContext;
        private HttpClient httpClient;

        private Builder(URI uri) {
            Checks.endpoint(uri, "A WebSocket transport", "for http(s):// use HttpTransport", "ws", "wss");
            if (uri.getFragment() != null) {
                throw new IllegalArgumentException("A WebSocket URI cannot have a fragment: " + TransportFailures.redact(uri));
            }
            this.uri = uri;
        }

        /**
         * Forces one protocol: the handshake offers only its subprotocol, and no fallback happens.
         * A server that answers with no subprotocol is then spoken to in this protocol. Default:
         * negotiate, preferring {@link WebSocketProtocol#GRAPHQL_TRANSPORT_WS} and falling back to
         * {@link WebSocketProtocol#GRAPHQL_WS} as the class comment describes.
         */
        public Builder protocol(WebSocketProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * A header sent with the opening handshake (e.g. {@code Authorization}, {@code Cookie},
         * {@code Origin}). Headers the WebSocket handshake itself uses ({@code Upgrade},
         * {@code Sec-WebSocket-*}, …) cannot be set. Values are never logged. Default: none.
         *
         * @throws IllegalArgumentException for a header the handshake sets itself
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("The " + name + " header is set by the WebSocket handshake itself"
                        + (name.equalsIgnoreCase("sec-websocket-protocol") ? "; choose the protocol with protocol(...)" : ""));
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
         * Handshake headers computed for every connection, including each reconnect, after the
         * fixed ones (replacing those of the same name): the place for a token that is refreshed
         * (an {@code Authorization} header, a cookie). Called on the thread that connects; must be
         * fast and thread-safe. A header the handshake sets itself fails the connect with a
         * {@link dev.jgql.TransportException}, as does a supplier that throws; nothing is sent
         * then. Values are never logged. Default: none.
         */
        public Builder headerSupplier(Supplier<Map<String, String>> headerSupplier) {
            this.headerSupplier = Objects.requireNonNull(headerSupplier, "headerSupplier");
            return this;
        }

        /**
         * The engine that opens the sockets, e.g. {@code VertxEngine.create()} from
         * {@code jgql-vertx}. Both protocols behave the same on every engine. Default
         * {@link JdkEngine#create()}.
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.engineSupplied = true;
            return this;
        }

        /**
         * A fixed {@code connection_init} payload ("connection params", typically credentials).
         * Never logged or put in messages. Default: none (no {@code payload} field is sent).
         */
        public Builder initPayload(Map<String, Object> payload) {
            Map<String, Object> copy = java.util.Collections.unmodifiableMap(
                    new LinkedHashMap<>(Objects.requireNonNull(payload, "payload")));
            this.initPayloadSupplier = () -> copy;
            return this;
        }

        /**
         * Computes the {@code connection_init} payload for every connection, including each
         * reconnect: the place for a token that is refreshed. Called on the thread that connects;
         * may return {@code null} for none; if it throws, the connect fails with that exception
         * inside a {@link dev.jgql.TransportException} and nothing is sent. Never logged. Default:
         * none.
         */
        public Builder initPayloadSupplier(Supplier<Map<String, Object>> supplier) {
            this.initPayloadSupplier = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /**
         * How long the TCP, TLS and HTTP upgrade may take, per attempt (the fallback to the legacy
         * protocol is a second attempt). Default 10 seconds.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long to wait for {@code connection_ack} after sending {@code connection_init}; when
         * it passes, the socket is closed with 4504 and the connect fails with a retryable
         * {@link WebSocketClosedException}. Default 10 seconds.
         */
        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = positive(ackTimeout, "ackTimeout");
            return this;
        }

        /**
         * How long after the connection is acknowledged, and after each pong, a WebSocket ping
         * frame is sent. Every server answers ping frames (RFC 6455), so this detects dead links
         * whatever the protocol. {@link Duration#ZERO} switches pings off (dead links are then
         * found only when the operating system gives up on the TCP connection, which can take
         * many minutes). Default 20 seconds: below the idle timeouts of common proxies and load
         * balancers (often 30–60 s).
         */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = Checks.notNegative(pingInterval, "pingInterval");
            return this;
        }

        /**
         * How long to wait for the pong to a ping (a ping frame, or a protocol {@code ping} when
         * {@link #protocolPingInterval} is on) before declaring the link dead. Default 10 seconds.
         */
        public Builder pongTimeout(Duration pongTimeout) {
            this.pongTimeout = positive(pongTimeout, "pongTimeout");
            return this;
        }

        /**
         * How quickly a dead link is found while calls wait on it. When a call on the link times
         * out, or when a query or mutation waits and nothing at all has arrived on the link for
         * this long, a ping frame is sent and the link is declared dead if its pong does not come
         * within this time more. A link the operating system has not noticed is dead (a killed
         * peer, a silent middlebox, a server that stopped reading) is so found within about twice
         * this time of the first unanswered call, instead of at the next keep-alive ping; a slow
         * answer on a live link costs a ping frame per period of silence. Subscriptions waiting
         * for events do not count as waiting calls. Default 1 second.
         */
        public Builder livenessTimeout(Duration livenessTimeout) {
            this.livenessTimeout = positive(livenessTimeout, "livenessTimeout");
            return this;
        }

        /**
         * How long after the acknowledgement, and after each {@code pong} message, to send a
         * graphql-transport-ws {@code ping} message (answered by the GraphQL server itself, not by
         * a proxy in front of it); a missing {@code pong} within {@link #pongTimeout} ends the link
         * like a missing pong frame. Ignored by the legacy protocol, which has no ping. Default
         * {@link Duration#ZERO}: off, ping frames suffice for most deployments.
         */
        public Builder protocolPingInterval(Duration protocolPingInterval) {
            this.protocolPingInterval = Checks.notNegative(protocolPingInterval, "protocolPingInterval");
            return this;
        }

        /**
         * Legacy protocol only: once the server has sent its first {@code ka} (keep-alive), each
         * further {@code ka} must arrive within this time, else the link is declared dead, as the
         * Apollo client does. Choose it above the server's interval (Vert.x 4: 30 s). Default
         * {@link Duration#ZERO}: off, because ping frames already detect dead links and servers'
         * {@code ka} intervals vary.
         */
        public Builder keepAliveTimeout(Duration keepAliveTimeout) {
            this.keepAliveTimeout = Checks.notNegative(keepAliveTimeout, "keepAliveTimeout");
            return this;
        }

        /**
         * How many events a subscription may hold that its subscriber has not requested yet. One
         * more ends that subscription with {@link SubscriptionBufferOverflowException} and stops it
         * on the server; other operations are unaffected. Default 1024.
         */
        public Builder subscriptionBufferSize(int subscriptionBufferSize) {
            if (subscriptionBufferSize < 1) {
                throw new IllegalArgumentException("subscriptionBufferSize must be at least 1: " + subscriptionBufferSize);
            }
            this.subscriptionBufferSize = subscriptionBufferSize;
            return this;
        }

        /**
         * The largest message accepted, in characters (the same as bytes for ASCII JSON), after
         * fragments are joined. A larger one closes the link (reported as 1009, "message too
         * big"; sent as 1008 because the JDK does not let clients send 1009) and fails every
         * operation with {@link dev.jgql.TransportProtocolException}. Default 16 MiB.
         */
        public Builder maxMessageSize(int maxMessageSize) {
            if (maxMessageSize < 1024) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1024: " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * The longest {@link TransportConnection#close()} waits for the server to answer the close
         * frame before it aborts the socket; closing never takes longer. Default 5 seconds.
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = positive(closeTimeout, "closeTimeout");
            return this;
        }

        /**
         * The TLS context for {@code wss}, e.g. one that trusts a private CA. Certificates are
         * always verified. Default: the JDK's default context.
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * An {@link HttpClient} of the application's to open sockets with, instead of one per
         * connection: the same as {@code engine(JdkEngine.using(httpClient))}. jgql never closes
         * it; its TLS settings then apply, so this cannot be combined with {@link #sslContext}.
         * jgql still runs its own {@code jgql-ws} threads for callbacks. Default: none.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Builds the transport.
         *
         * @throws IllegalStateException if {@link #httpClient} is combined with {@link #sslContext}
         *                               or with {@link #engine}
         */
        public WebSocketTransport build() {
            if (httpClient != null && sslContext != null) {
                throw new IllegalStateException("A supplied HttpClient brings its own TLS settings: configure the "
                        + "SSLContext on the HttpClient instead");
            }
            if (httpClient != null && engineSupplied) {
                throw new IllegalStateException("Choose either an engine or an HttpClient: an HttpClient is the "
                        + "JDK engine's, JdkEngine.using(httpClient)");
            }
            return new WebSocketTransport(this);
        }
    }
}

package dev.jgql.transport.ws;

import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportServerException;
import dev.jgql.internal.Futures;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code connect}: evaluates the init payload, opens a connection with the chosen protocol
 * and, when negotiating, falls back once to the legacy protocol if the server turned the modern
 * one down (see {@link WebSocketTransport}).
 */
final class WebSocketConnector {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnector.class);

    private final WebSocketTransport transport;
    private final TransportContext context;
    private final ConnectionResources resources;
    private final Map<String, Object> initPayload;
    private final Map<String, String> handshakeHeaders;
    private final boolean negotiating;
    private final String where;
    private final CompletableFuture<TransportConnection> result = new CompletableFuture<>();
    private final AtomicReference<WebSocketConnection> current = new AtomicReference<>();
    private final AtomicBoolean released = new AtomicBoolean();

    private WebSocketConnector(WebSocketTransport transport, TransportContext context, ConnectionResources resources,
            Map<String, Object> initPayload, Map<String, String> handshakeHeaders, boolean negotiating) {
        this.transport = transport;
        this.context = context;
        this.resources = resources;
        this.initPayload = initPayload;
        this.handshakeHeaders = handshakeHeaders;
        this.negotiating = negotiating;
        this.where = transport.redactedUri;
    }

    static CompletableFuture<TransportConnection> connect(WebSocketTransport transport, TransportContext context) {
        Map<String, Object> initPayload;
        Map<String, String> handshakeHeaders;
        try {
            initPayload = transport.initPayloadSupplier.get();
        } catch (RuntimeException e) {
            // The exception's message is left out: it may quote the credentials being built.
            return CompletableFuture.failedFuture(new TransportException("The init payload supplier of the WebSocket "
                    + "transport for " + transport.redactedUri + " threw " + e.getClass().getName()
                    + "; nothing was sent", e));
        }
        try {
            handshakeHeaders = transport.handshakeHeaders();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof TransportException ? e : new TransportException("The "
                    + "header supplier of the WebSocket transport for " + transport.redactedUri + " threw "
                    + e.getClass().getName() + "; nothing was sent", e));
        }
        ConnectionResources resources;
        try {
            resources = ConnectionResources.create(transport);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TransportException("The engine " + transport.engine
                    + " could not open a WebSocket engine for " + transport.redactedUri + ": " + e, e));
        }
        WebSocketProtocol forced = transport.protocol;
        WebSocketProtocol remembered = transport.detected();
        WebSocketProtocol first = forced != null ? forced
                : remembered != null ? remembered : WebSocketProtocol.GRAPHQL_TRANSPORT_WS;
        boolean negotiating = forced == null && remembered == null;
        WebSocketConnector connector = new WebSocketConnector(transport, context, resources, initPayload,
                handshakeHeaders, negotiating);
        connector.result.whenComplete((connection, failure) -> {
            if (connector.result.isCancelled()) {
                WebSocketConnection attempt = connector.current.get();
                if (attempt != null) {
                    attempt.close();
                }
            }
        });
        connector.attempt(first, negotiating, null);
        return connector.result;
    }

    private void attempt(WebSocketProtocol protocol, boolean mayFallBack, Throwable firstFailure) {
        WebSocketConnection connection = new WebSocketConnection(transport, context, resources, protocol, mayFallBack);
        current.set(connection);
        if (result.isDone()) {
            connection.close();
            releaseOnce();
            return;
        }
        connection.open(initPayload, handshakeHeaders);
        connection.ready().whenComplete((ready, failure) -> {
            if (failure == null) {
                if (negotiating) {
                    transport.detected(protocol);
                }
                releaseOnce();
                if (!result.complete(connection)) {
                    connection.close();
                }
                return;
            }
            Throwable cause = Futures.unwrap(failure);
            if (mayFallBack && connection.fallbackSuggested() && !result.isDone()) {
                LOG.info("{} turned down {} ({}); trying the legacy {} protocol", where,
                        protocol.subprotocol(), cause.getMessage(), WebSocketProtocol.GRAPHQL_WS.subprotocol());
                attempt(WebSocketProtocol.GRAPHQL_WS, false, cause);
                return;
            }
            releaseOnce();
            result.completeExceptionally(firstFailure == null ? cause : neither(firstFailure, cause));
        });
    }

    /** Gives up the connector's hold on the resources; the connections hold their own. */
    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            resources.release();
        }
    }

    /** Both protocols failed: report the first failure's kind, with both stories in the message. */
    private Throwable neither(Throwable modern, Throwable legacy) {
        String message = "The server at " + where + " accepted neither graphql-transport-ws (" + modern.getMessage()
                + ") nor the legacy graphql-ws protocol (" + legacy.getMessage() + "). Check the URL, or set "
                + "WebSocketTransport.Builder.protocol if the server needs one";
        TransportException combined;
        if (modern instanceof WebSocketClosedException closed) {
            combined = new WebSocketClosedException(message, closed.closeCode(), closed.closeReason(), false, modern);
        } else if (modern instanceof TransportServerException server) {
            combined = new TransportServerException(message, server.statusCode(), server.bodyExcerpt(),
                    server.retryAfter().orElse(null), server.headers());
            combined.initCause(modern);
        } else if (modern instanceof TransportConnectionFailedException) {
            combined = new TransportConnectionFailedException(message, false, modern);
        } else if (modern instanceof TransportClosedException) {
            combined = new TransportClosedException(message, modern);
        } else {
            combined = new TransportException(message, modern);
        }
        combined.addSuppressed(legacy);
        return combined;
    }
}

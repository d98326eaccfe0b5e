package dev.jgql.transport.ws;

import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportServerException;
import dev.jgql.engine.UpgradeRejectedException;
import dev.jgql.internal.TransportFailures;
import dev.jgql.transport.support.GraphQLJson;

import java.time.Duration;

/**
 * Why opening a WebSocket failed, in words a user can act on, and whether the other protocol might
 * do better: the one place handshake failures are classified, whatever the engine. Nothing of an
 * operation is ever sent before the handshake, so none of these failures can have applied one.
 */
final class HandshakeFailures {

    /** A classified failure, and whether offering the legacy protocol might succeed. */
    record Classified(TransportException failure, boolean fallbackSuggested) {
    }

    private HandshakeFailures() {
    }

    static Classified classify(Throwable failure, String where, WebSocketProtocol protocol, boolean mayFallBack,
            Duration connectTimeout) {
        if (failure instanceof TransportException transport) {
            return new Classified(transport, false);
        }
        UpgradeRejectedException refused = rejection(failure);
        if (refused != null) {
            int status = refused.statusCode();
            // A refusal may mean "not this subprotocol"; not when it is about credentials, the
            // path or load, which the other protocol will not fix.
            boolean fallback = mayFallBack && status != 401 && status != 403 && status != 404 && status != 407
                    && status != 429 && status < 500;
            byte[] bodyBytes = refused.body();
            String body = bodyBytes.length == 0 ? "" : GraphQLJson.excerpt(bodyBytes);
            String message = status == 101
                    ? "The server at " + where + " answered the WebSocket handshake in a way the engine rejects ("
                            + refused.getMessage() + "); it may not speak " + protocol.subprotocol()
                    : "The server at " + where + " refused the WebSocket handshake with HTTP " + status + ": "
                            + hint(status) + (body.isEmpty() ? "" : ". Body: " + body);
            TransportServerException classified = new TransportServerException(message, status, body, null,
                    refused.headers().map());
            classified.initCause(refused);
            return new Classified(classified, fallback);
        }
        return new Classified(switch (TransportFailures.stage(failure)) {
            case CONNECT -> new TransportConnectionFailedException(TransportFailures.connectFailure(failure, where,
                    connectTimeout, "nothing was sent"), false, failure);
            case TIMEOUT -> new TransportConnectionFailedException("No WebSocket handshake with " + where + " within "
                    + connectTimeout.toMillis() + " ms (connectTimeout); nothing was sent", false, failure);
            case EXCHANGE -> new TransportConnectionFailedException("The WebSocket handshake with " + where + " failed ("
                    + TransportFailures.describe(failure) + "); no operation was sent", false, failure);
        }, false);
    }

    /** No handshake in time: the connection's own timer fired. */
    static TransportConnectionFailedException timedOut(String where, Duration connectTimeout) {
        return new TransportConnectionFailedException("No WebSocket handshake with " + where + " within "
                + connectTimeout.toMillis() + " ms (connectTimeout); nothing was sent", false, null);
    }

    private static UpgradeRejectedException rejection(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpgradeRejectedException refused) {
                return refused;
            }
        }
        return null;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> "the server refused the credentials; check the handshake headers (not shown)";
            case 400, 426 -> "the server does not take this WebSocket request here (wrong path or subprotocol?)";
            default -> TransportFailures.statusHint(status, null);
        };
    }
}

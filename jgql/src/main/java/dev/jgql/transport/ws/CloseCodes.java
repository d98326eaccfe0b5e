package dev.jgql.transport.ws;

/**
 * What each WebSocket close code means and whether reconnecting can help: the one place where
 * close codes are classified (RFC 6455 §7.4, the graphql-transport-ws codes, and the client-side
 * codes jgql reports for failures it detects itself).
 *
 * <p>The rule follows the graphql-ws reference client: codes 1000–1999 are fatal except those the
 * server or network uses for a passing condition; the protocol's own 44xx codes that say "the
 * client is wrong" are fatal, and so are 4401/4403 (credentials: the same call gets the same
 * answer); every other code (4408 init too late, application codes) may be retried.
 */
final class CloseCodes {
    /** Reported when the link ended without a close frame: TCP drop, missed pong, abort. */
    static final int ABNORMAL = 1006;
    /** Reported (not sent: the JDK refuses to send it) when a message exceeded maxMessageSize. */
    static final int MESSAGE_TOO_BIG = 1009;
    static final int PROTOCOL_ERROR_4400 = 4400;
    /** Client-side: no connection_ack in time (the reference client's code). */
    static final int ACK_TIMEOUT = 4504;

    private CloseCodes() {
    }

    /** Whether a new connection may succeed after a close with this code. */
    static boolean isRetryable(int code) {
        return switch (code) {
            // normal closure (a server that closes with live operations: reconnect), going away,
            // no status, abnormal (TCP drop), service restart, try again later, bad gateway
            case 1000, 1001, 1005, 1006, 1012, 1013, 1014 -> true;
            // bad request, unauthorized, forbidden, subprotocol not acceptable, duplicate id, too
            // many inits, internal server error, client-side bad response / internal error; the
            // connect policy still reconnects after 4401/4403 (a refreshed token may fix them),
            // but a call is not retried on them
            case 4400, 4401, 4403, 4406, 4409, 4429, 4500, 4004, 4005 -> false;
            // init timeout, terminated, ack timeout
            case 4408, 4499, 4504 -> true;
            default -> code < 1000 || code > 1999;
        };
    }

    /** A short meaning, for messages. */
    static String meaning(int code) {
        return switch (code) {
            case 1000 -> "normal closure";
            case 1001 -> "going away: the server is shutting down or restarting";
            case 1002 -> "protocol error: the server did not accept what it received, often the wrong subprotocol";
            case 1003 -> "unsupported data";
            case 1005 -> "no status code";
            case 1006 -> "abnormal closure: the connection dropped without a close frame";
            case 1007 -> "invalid payload data";
            case 1008 -> "policy violation";
            case 1009 -> "message too big";
            case 1010 -> "mandatory extension missing";
            case 1011 -> "internal server error (also used by servers for messages they cannot handle)";
            case 1012 -> "service restart";
            case 1013 -> "try again later";
            case 1014 -> "bad gateway";
            case 1015 -> "TLS handshake failure";
            case 4400 -> "bad request: a message broke the protocol";
            case 4401 -> "unauthorized: an operation before connection_ack, or the server rejected connection_init";
            case 4403 -> "forbidden: the server rejected connection_init, usually the credentials";
            case 4406 -> "subprotocol not acceptable";
            case 4408 -> "connection_init timeout: the server did not receive connection_init in time";
            case 4409 -> "subscriber for this id already exists: an operation id was reused";
            case 4429 -> "too many initialisation requests";
            case 4500 -> "internal server error";
            case 4499 -> "terminated: the socket was considered dead";
            case 4504 -> "connection_ack timeout";
            default -> code >= 4000 && code <= 4999 ? "application-defined close code" : "unassigned close code";
        };
    }

    /** What to do about it, for messages. */
    static String advice(int code) {
        return switch (code) {
            case 1002, 4406 -> "check that the server speaks the chosen protocol, or set WebSocketTransport.Builder.protocol";
            case 1009 -> "raise WebSocketTransport.Builder.maxMessageSize or ask for less data";
            case 4400, 4409, 4429 -> "this is a client or server bug; retrying the same way will not help";
            case 4401, 4403 -> "check the init payload and handshake headers (not shown)";
            case 4500, 1011 -> "the server failed; check its logs";
            default -> isRetryable(code) ? "a new connection may succeed" : "retrying will not help";
        };
    }
}

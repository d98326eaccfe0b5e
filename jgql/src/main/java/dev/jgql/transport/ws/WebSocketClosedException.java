package dev.jgql.transport.ws;

import dev.jgql.TransportConnectionFailedException;

/**
 * The WebSocket link ended: the server closed it with a close code, the connection dropped
 * ({@code 1006}), or jgql closed it because the link was dead or broke the protocol. Pending
 * operations end with this exception, and {@link #requestMayHaveBeenSent()} says, for each one,
 * whether its {@code subscribe}/{@code start} message had been handed to the socket.
 *
 * <p>{@link #isRetryable()} says whether a new connection may help, following the
 * graphql-transport-ws fact sheet:
 * <table>
 *   <caption>Close codes</caption>
 *   <tr><th>retryable</th><td>1000 normal (a server closing with live operations), 1001 going away,
 *       1005 no status, 1006 abnormal (TCP drop, missed pong), 1012 restart, 1013 try later, 1014
 *       bad gateway, 4408 init timeout, 4499 terminated, 4504 ack timeout, and any code outside
 *       1000–1999 not listed as fatal</td></tr>
 *   <tr><th>fatal</th><td>every other 1xxx code (1002 protocol error, 1003, 1007, 1008, 1009 too
 *       big, 1010, 1011 internal error, 1015), 4400 bad request, 4401 unauthorized, 4403
 *       forbidden, 4406 subprotocol not acceptable, 4409 duplicate id, 4429 too many inits, 4500
 *       internal error, 4004, 4005</td></tr>
 * </table>
 * A call is not retried after a fatal code; the permanent session's default connect policy still
 * reconnects after one (a refreshed token may cure 4401/4403), and reports each failed attempt.
 * A legacy ({@code graphql-ws}) {@code connection_error} is reported as 4403.
 *
 * <pre>{@code
 * catch (WebSocketClosedException e) {
 *     log.warn("WebSocket closed {} ({}), retryable: {}", e.closeCode(), e.closeReason(), e.isRetryable());
 * }
 * }</pre>
 */
public class WebSocketClosedException extends TransportConnectionFailedException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;
    private final String closeReason;

    public WebSocketClosedException(String message, int closeCode, String closeReason, boolean requestMayHaveBeenSent,
            Throwable cause) {
        super(message, requestMayHaveBeenSent, cause);
        this.closeCode = closeCode;
        this.closeReason = closeReason == null ? "" : closeReason;
    }

    /** The close code: the server's, or 1006 when the link ended without a close frame. */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason the server gave (empty if none), or what jgql detected. */
    public String closeReason() {
        return closeReason;
    }

    /** Whether a new connection may succeed; see the class comment for the mapping. */
    @Override
    public boolean isRetryable() {
        return CloseCodes.isRetryable(closeCode);
    }

    /** Whether a close with this code may be retried; the mapping of the class comment. */
    public static boolean isRetryable(int closeCode) {
        return CloseCodes.isRetryable(closeCode);
    }
}

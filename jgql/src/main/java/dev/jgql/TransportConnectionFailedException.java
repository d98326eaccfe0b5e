package dev.jgql;

/**
 * The link to the server failed: connection refused, reset, timed out, or dropped while a request
 * was in flight. {@link #requestMayHaveBeenSent()} says whether the server may have received the
 * request: {@code false} only when the failure provably happened before any byte of the request
 * left the client, which is what makes a retry of a mutation safe.
 *
 * <pre>{@code
 * catch (TransportConnectionFailedException e) {
 *     if (!e.requestMayHaveBeenSent()) {
 *         // safe to send the mutation again: the server never saw it
 *     }
 * }
 * }</pre>
 */
public class TransportConnectionFailedException extends TransportClosedException {
    private static final long serialVersionUID = 1L;

    private final boolean requestMayHaveBeenSent;

    public TransportConnectionFailedException(String message, boolean requestMayHaveBeenSent, Throwable cause) {
        super(message, cause);
        this.requestMayHaveBeenSent = requestMayHaveBeenSent;
    }

    /**
     * {@code true} when the request may have reached the server (it may have been applied);
     * {@code false} when the failure provably happened before the request was sent.
     */
    public boolean requestMayHaveBeenSent() {
        return requestMayHaveBeenSent;
    }
}

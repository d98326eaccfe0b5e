package dev.jgql;

/**
 * The link to the server is closed: the session was closed, the client closed it, or the link
 * broke. Work that was pending on the link ends with this exception. A reconnecting session
 * treats it as the signal to reconnect.
 *
 * <pre>{@code
 * catch (TransportClosedException e) {
 *     // the link is gone: a plain session must be opened again, a reconnecting one heals itself
 * }
 * }</pre>
 *
 * @see TransportConnectionFailedException the link failed rather than being closed on purpose
 */
public class TransportClosedException extends TransportException {
    private static final long serialVersionUID = 1L;

    public TransportClosedException(String message) {
        super(message);
    }

    public TransportClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}

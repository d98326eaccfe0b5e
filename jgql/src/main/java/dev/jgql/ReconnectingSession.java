package dev.jgql;

/**
 * The permanent session: one per backend, created at start-up with
 * {@link Client#connectAsync(Reconnect)} and shared by every thread for the application's whole
 * life. It reconnects by itself with backoff and jitter, retries what is safe to retry, never
 * applies a mutation twice unless told it may, and closes cleanly with {@link Client#closeAsync()}.
 *
 * <pre>{@code
 * ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
 * Map<String, Object> data = session.execute(query, Map.of("code", "EU")).join();
 * client.closeAsync().join();
 * }</pre>
 *
 * <h2>What happens when the link breaks</h2>
 * <ul>
 *   <li>One reconnect loop: a hundred requests failing at once cause one reconnect, under the
 *       {@link Reconnect.Builder#retryConnect connect policy}.
 *   <li>Requests made while reconnecting wait for the new link, up to their execute timeout.
 *   <li>A failed execute is retried under the {@link Reconnect.Builder#retryExecute execute
 *       policy}, never on {@link TransportQueryException}; a mutation only when the failure
 *       provably happened before it was sent (see {@link Reconnect.Builder#retryUnsafeMutations}).
 *       A server's {@code Retry-After} is honoured. When retries give up, the caller gets the
 *       last failure itself, with the earlier ones attached as suppressed exceptions.
 *   <li>A subscription ends with {@link TransportClosedException} when its link breaks, unless
 *       {@link Reconnect.Builder#resubscribe automatic resubscription} is on.
 * </ul>
 * The whole of a call (waiting, attempts, backoff) is bounded by the client's execute timeout.
 */
public interface ReconnectingSession extends AsyncSession {

    /** The current state. */
    ConnectionState state();

    /** Adds a listener told of every later state change, in order. */
    void addStateListener(ConnectionStateListener listener);

    /** Removes a listener added before; does nothing if it was not added. */
    void removeStateListener(ConnectionStateListener listener);
}

package dev.jgql;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
 *   <li>One reconnect loop per link: a hundred requests failing at once cause one reconnect, under
 *       the {@link Reconnect.Builder#retryConnect connect policy}. Every failed attempt is reported
 *       (a warning in the log, rate limited; {@link ClientEventListener#connectFailed}).
 *   <li>Requests made while reconnecting wait for the new link, up to their timeout (or fail at
 *       once if they {@link CallOptions.Builder#failFast fail fast}); while any wait, the link is
 *       tried again within {@link Reconnect.Builder#demandInterval about a second}.
 *   <li>A failed execute is retried under the {@link Reconnect.Builder#retryExecute execute
 *       policy}, never on {@link TransportQueryException}; a mutation only when the failure
 *       provably happened before it was sent, or when it is idempotent. A server's
 *       {@code Retry-After} is honoured. When retries give up, the caller gets the last failure
 *       itself, with the earlier ones attached as suppressed exceptions.
 *   <li>A subscription ends with {@link TransportClosedException} when its link breaks, unless
 *       {@link Reconnect.Builder#resubscribe automatic resubscription} is on.
 * </ul>
 * Each attempt is bounded by the execute timeout; a call's {@link CallOptions.Builder#deadline
 * deadline} bounds all of it.
 *
 * <h2>Links</h2>
 * With one transport the session has one link, {@code main}. With a separate
 * {@link Client.Builder#subscriptionTransport subscription transport} it has two, {@code main} and
 * {@code subscriptions}, each supervised and reconnected on its own; {@link #state()} is the
 * session's overall state (RECONNECTING if either link is, CONNECTED when both are) and
 * {@link #links()} tells each. A transport without a link of its own (HTTP) is connected at once,
 * learns from failed requests that its server is unreachable, and counts as reconnected when the
 * server answers again.
 */
public interface ReconnectingSession extends AsyncSession {

    /** The session's overall state. */
    ConnectionState state();

    /**
     * Each link's name, state and last connect failure.
     *
     * @return {@code main}, and {@code subscriptions} with a separate subscription transport
     */
    List<LinkStatus> links();

    /**
     * Completes when every link is up: at once if they are, else when they next are. Fails only if
     * the session closes first (or its first connection gave up, with
     * {@link Reconnect.Builder#awaitFirstConnection} on).
     *
     * @return a future of this session
     */
    CompletableFuture<ReconnectingSession> whenConnected();

    /** Adds a listener told of every later change of the overall state, in order. */
    void addStateListener(ConnectionStateListener listener);

    /** Removes a listener added before; does nothing if it was not added. */
    void removeStateListener(ConnectionStateListener listener);

    /**
     * The blocking view of this session; closing the view does not close the session (close it with
     * {@link Client#closeAsync()}), so a try-with-resources around the view is harmless.
     */
    @Override
    Session blocking();

    /**
     * One link of the session.
     *
     * @param name        {@code main} or {@code subscriptions}
     * @param state       its state
     * @param lastFailure why its last connect attempt failed, while it is down; null when up
     */
    record LinkStatus(String name, ConnectionState state, Throwable lastFailure) {
        /** @return the last connect failure, if the link is down after one */
        public Optional<Throwable> lastFailureIfAny() {
            return Optional.ofNullable(lastFailure);
        }
    }
}

package dev.jgql;

/**
 * Told of every state change of a {@link ReconnectingSession}, in order, one at a time. Called on
 * a jgql thread: return quickly.
 *
 * <pre>{@code
 * session.addStateListener((from, to) -> metrics.gauge("graphql.connected", to == ConnectionState.CONNECTED ? 1 : 0));
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionStateListener {
    /** The session went from {@code from} to {@code to}. */
    void onStateChange(ConnectionState from, ConnectionState to);
}

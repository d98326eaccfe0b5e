package dev.jgql;

/**
 * Where a {@link ReconnectingSession} stands. A session moves
 * {@code CONNECTING → CONNECTED → RECONNECTING → CONNECTED … → CLOSED}; {@code CLOSED} is final.
 *
 * <pre>{@code
 * session.addStateListener((from, to) -> log.info("GraphQL link {} -> {}", from, to));
 * if (session.state() == ConnectionState.CONNECTED) { ... }
 * }</pre>
 */
public enum ConnectionState {
    /** Opening the first link. */
    CONNECTING,
    /** A link is up; requests go out at once. */
    CONNECTED,
    /** The link broke; a new one is being opened with backoff. Requests wait. */
    RECONNECTING,
    /** Closed by the application; final. */
    CLOSED
}

package dev.jgql;

/**
 * Something went wrong between the client and the GraphQL server, or the server answered with
 * GraphQL errors. The subclasses say which:
 *
 * <ul>
 *   <li>{@link TransportQueryException}: the server answered, with GraphQL errors. The link works;
 *       retrying the same request will not help.
 *   <li>{@link TransportServerException}: the server (or a proxy in front of it) answered with an
 *       HTTP error that is not a GraphQL response.
 *   <li>{@link TransportProtocolException}: the server answered something that breaks the protocol
 *       (malformed or truncated JSON, unexpected message).
 *   <li>{@link TransportClosedException}: the link is closed or broke; with
 *       {@link TransportConnectionFailedException} when it failed rather than being closed.
 *   <li>{@link TransportTimeoutException}: no answer within the execute timeout.
 * </ul>
 *
 * <pre>{@code
 * try {
 *     session.execute(query);
 * } catch (TransportQueryException e) {
 *     log.warn("GraphQL errors: {}", e.errors());
 * } catch (TransportException e) {
 *     log.warn("backend unavailable", e);
 * }
 * }</pre>
 */
public class TransportException extends JgqlException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether trying the same call again may succeed. {@code false} for failures that retrying
     * cannot fix: credentials refused (HTTP 401/403, WebSocket 4401/4403), a request the server
     * rejects as malformed (other HTTP 4xx but 408/425/429, WebSocket 4400), a protocol the server
     * does not accept (4406), GraphQL errors. The default execute policy retries only retryable
     * failures; the default connect policy keeps trying whatever the failure (a refreshed token
     * may fix it), as the seed says.
     *
     * @return {@code true} unless the subclass knows better
     */
    public boolean isRetryable() {
        return true;
    }
}

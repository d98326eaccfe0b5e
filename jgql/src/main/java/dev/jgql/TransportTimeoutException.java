package dev.jgql;

import java.time.Duration;

/**
 * No answer came within the execute timeout ({@link Client.Builder#executeTimeout(Duration)}).
 * The request may have reached the server and may have been applied; the pending request was
 * cancelled.
 *
 * <pre>{@code
 * Client client = Client.builder().transport(transport).executeTimeout(Duration.ofSeconds(2)).build();
 * try {
 *     session.execute(slowQuery);
 * } catch (TransportTimeoutException e) {
 *     log.warn("backend too slow: {}", e.getMessage());
 * }
 * }</pre>
 */
public class TransportTimeoutException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public TransportTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }
}

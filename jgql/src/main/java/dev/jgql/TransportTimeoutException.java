package dev.jgql;

import java.time.Duration;

/**
 * No answer came in time: within an attempt's timeout ({@link Client.Builder#executeTimeout(Duration)},
 * {@link CallOptions.Builder#timeout}) or the call's deadline ({@link CallOptions.Builder#deadline}).
 * The pending request was cancelled. {@link #requestMayHaveBeenSent()} says whether it may have
 * reached the server (and been applied): {@code false} when the time ran out while the call was
 * still waiting for a link, in which case the cause is the last failure to connect.
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
    private final boolean requestMayHaveBeenSent;

    /**
     * A timeout after the request may have been sent.
     *
     * @param message what timed out
     * @param timeout the bound that expired
     */
    public TransportTimeoutException(String message, Duration timeout) {
        this(message, timeout, true, null);
    }

    /**
     * @param message                what timed out
     * @param timeout                the bound that expired
     * @param requestMayHaveBeenSent whether the request may have reached the server
     * @param cause                  why there was no answer, if known (the last connect failure)
     */
    public TransportTimeoutException(String message, Duration timeout, boolean requestMayHaveBeenSent, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
        this.requestMayHaveBeenSent = requestMayHaveBeenSent;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * {@code true} when the request may have reached the server and been applied; {@code false}
     * when the time ran out while the call waited for a link, so nothing was sent.
     */
    public boolean requestMayHaveBeenSent() {
        return requestMayHaveBeenSent;
    }

    /**
     * {@code false} when nothing was sent because no link came in time: trying again would wait
     * again. A timeout after sending may be retried (a hung attempt).
     */
    @Override
    public boolean isRetryable() {
        return requestMayHaveBeenSent;
    }
}

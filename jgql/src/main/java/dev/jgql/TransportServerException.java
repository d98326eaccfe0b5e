package dev.jgql;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server, or a proxy in front of it, answered with an HTTP error status and a body that is not
 * a GraphQL response (an HTML error page, plain text, an empty body). Carries the status, a short
 * excerpt of the body, the response headers and, for 429 and 503, the {@code Retry-After} delay.
 *
 * <pre>{@code
 * catch (TransportServerException e) {
 *     if (e.statusCode() == 429) {
 *         Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
 *     }
 * }
 * }</pre>
 */
public class TransportServerException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String bodyExcerpt;
    private final transient Duration retryAfter;
    private final transient Map<String, List<String>> headers;

    public TransportServerException(String message, int statusCode, String bodyExcerpt, Duration retryAfter,
            Map<String, List<String>> headers) {
        super(message);
        this.statusCode = statusCode;
        this.bodyExcerpt = bodyExcerpt == null ? "" : bodyExcerpt;
        this.retryAfter = retryAfter;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The HTTP status code, or -1 when the error did not come with one (WebSocket). */
    public int statusCode() {
        return statusCode;
    }

    /** The beginning of the response body, at most a few hundred characters; may be empty. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    /** How long the server asked the client to wait before trying again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * {@code false} for a 4xx status other than 408 (timeout), 425 (too early) and 429 (rate
     * limited): the server refused this request as it is, and will again.
     */
    @Override
    public boolean isRetryable() {
        return statusCode < 400 || statusCode >= 500 || statusCode == 408 || statusCode == 425 || statusCode == 429;
    }

    /** The response headers, names in lower case. Empty when not over HTTP. */
    public Map<String, List<String>> headers() {
        return headers;
    }
}

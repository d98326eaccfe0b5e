package dev.jgql.engine;

import java.io.IOException;

/**
 * An HTTP engine stopped reading a response body because it grew past the request's
 * {@link HttpEngineRequest#maxResponseSize()}; the connection was closed. Transports report it as
 * a protocol failure that names the limit.
 *
 * <pre>{@code
 * engine.execute(request).exceptionally(failure -> {
 *     if (failure.getCause() instanceof ResponseTooLargeException tooLarge) {
 *         log.warn("response larger than {} bytes", tooLarge.limit());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    /**
     * @param limit the limit in bytes that the body exceeded
     */
    public ResponseTooLargeException(long limit) {
        super("The response body is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    /**
     * The limit the body exceeded.
     *
     * @return the limit in bytes
     */
    public long limit() {
        return limit;
    }
}

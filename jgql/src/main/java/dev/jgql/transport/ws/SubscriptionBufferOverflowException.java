package dev.jgql.transport.ws;

/**
 * The WebSocket transport's name for {@link dev.jgql.SubscriptionBufferOverflowException}, which
 * every streaming transport now uses; the WebSocket transport still throws this subclass so that
 * existing {@code catch} blocks keep working.
 *
 * <pre>{@code
 * catch (dev.jgql.SubscriptionBufferOverflowException e) { ... }   // catch this one instead
 * }</pre>
 *
 * @deprecated catch {@link dev.jgql.SubscriptionBufferOverflowException}; this class goes in the
 *             release after next.
 */
@Deprecated
public class SubscriptionBufferOverflowException extends dev.jgql.SubscriptionBufferOverflowException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message    what happened and what to do
     * @param bufferSize the buffer size that was exceeded
     */
    public SubscriptionBufferOverflowException(String message, int bufferSize) {
        super(message, bufferSize);
    }
}

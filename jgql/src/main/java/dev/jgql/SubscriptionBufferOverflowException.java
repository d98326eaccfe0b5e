package dev.jgql;

/**
 * A subscriber did not keep up: more events arrived than it had requested and its subscription's
 * bounded buffer was full. The subscription ends with this exception (the buffered events are
 * dropped) and the operation is stopped on the server; the link and the other operations carry
 * on. Every streaming transport reports overflow with it.
 *
 * <pre>{@code
 * catch (SubscriptionBufferOverflowException e) {
 *     // request more eagerly, or raise the transport's subscriptionBufferSize
 * }
 * }</pre>
 */
public class SubscriptionBufferOverflowException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int bufferSize;

    /**
     * @param message    what happened and what to do
     * @param bufferSize the buffer size that was exceeded
     */
    public SubscriptionBufferOverflowException(String message, int bufferSize) {
        super(message);
        this.bufferSize = bufferSize;
    }

    /** @return the buffer size that was exceeded */
    public int bufferSize() {
        return bufferSize;
    }
}

package dev.jgql.transport.ws;

import dev.jgql.TransportException;

/**
 * A subscriber did not keep up: more events arrived than it had requested and the subscription's
 * buffer ({@link WebSocketTransport.Builder#subscriptionBufferSize}) was full. The subscription
 * ends with this exception (the buffered events are dropped) and the operation is stopped on the
 * server; the link and the other operations carry on.
 *
 * <pre>{@code
 * catch (SubscriptionBufferOverflowException e) {
 *     // request more eagerly, or raise subscriptionBufferSize
 * }
 * }</pre>
 */
public class SubscriptionBufferOverflowException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int bufferSize;

    public SubscriptionBufferOverflowException(String message, int bufferSize) {
        super(message);
        this.bufferSize = bufferSize;
    }

    /** The buffer size that was exceeded. */
    public int bufferSize() {
        return bufferSize;
    }
}

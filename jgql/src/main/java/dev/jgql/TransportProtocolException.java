package dev.jgql;

/**
 * The server's answer breaks the protocol: a 2xx HTTP body that is not JSON, is truncated, or is
 * JSON with neither {@code data} nor {@code errors}; a WebSocket message that cannot be parsed or
 * is not expected at that point. The message quotes a short excerpt of what was received.
 *
 * <pre>{@code
 * catch (TransportProtocolException e) {
 *     log.error("the server at {} does not speak GraphQL over HTTP: {}", uri, e.getMessage());
 * }
 * }</pre>
 */
public class TransportProtocolException extends TransportException {
    private static final long serialVersionUID = 1L;

    public TransportProtocolException(String message) {
        super(message);
    }

    public TransportProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}

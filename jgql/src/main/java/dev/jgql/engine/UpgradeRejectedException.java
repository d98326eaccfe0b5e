package dev.jgql.engine;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * A server answered a WebSocket handshake with something other than an upgrade (status, headers
 * and the start of the body are kept), or with an upgrade the engine cannot accept (status 101,
 * e.g. a subprotocol that was not offered). Engines report refused handshakes with it so that the
 * transport classifies them in one place.
 *
 * <pre>{@code
 * if (failure instanceof UpgradeRejectedException rejected && rejected.statusCode() == 401) {
 *     // refresh the credentials
 * }
 * }</pre>
 */
public class UpgradeRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final transient HttpHeaders headers;
    private final byte[] body;

    /**
     * @param message    what happened, without credentials
     * @param statusCode the status the server answered with
     * @param headers    its headers
     * @param body       the start of its body (may be empty)
     */
    public UpgradeRejectedException(String message, int statusCode, HttpHeaders headers, byte[] body) {
        super(message);
        this.statusCode = statusCode;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body == null ? new byte[0] : body.clone();
    }

    /** @return the status the server answered the handshake with */
    public int statusCode() {
        return statusCode;
    }

    /** @return the response headers */
    public HttpHeaders headers() {
        return headers;
    }

    /** @return the start of the response body; empty if there was none */
    public byte[] body() {
        return body.clone();
    }
}

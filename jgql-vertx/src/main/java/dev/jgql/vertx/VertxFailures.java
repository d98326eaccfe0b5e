package dev.jgql.vertx;

import dev.jgql.engine.UpgradeRejectedException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Vert.x and Netty failures in the JDK's vocabulary, which the transports classify (see
 * {@link dev.jgql.engine.HttpEngine}): written once for HTTP and WebSocket.
 */
final class VertxFailures {
    /** Bytes of a refused upgrade's body that are kept. */
    private static final int BODY_EXCERPT = 4096;

    private VertxFailures() {
    }

    /**
     * A failure before any byte of the request was written (no connection could be had): the
     * JDK's type when one is among the causes, Netty's connect timeout as
     * {@link HttpConnectTimeoutException}, anything else as a {@link ConnectException}.
     */
    static IOException connect(Throwable failure) {
        IOException known = knownConnectFailure(failure);
        if (known != null) {
            return known;
        }
        ConnectException wrapped = new ConnectException(describe(failure));
        wrapped.initCause(failure);
        return wrapped;
    }

    /** A failure once the exchange had started: an {@link IOException}, whatever Vert.x threw. */
    static IOException exchange(Throwable failure) {
        IOException known = knownConnectFailure(failure);
        if (known != null) {
            return known; // e.g. a TLS handshake that failed once the stream was set up
        }
        if (failure instanceof IOException io) {
            return io;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
        }
        return new IOException(describe(failure), failure);
    }

    /** The request's own timeout passed before the response's headers arrived. */
    static HttpTimeoutException requestTimedOut(long millis) {
        return new HttpTimeoutException("request timed out after " + millis + " ms");
    }

    /** No connection (and, for a WebSocket, no handshake) within the connect timeout. */
    static HttpConnectTimeoutException connectTimedOut(long millis) {
        return new HttpConnectTimeoutException("HTTP connect timed out after " + millis + " ms");
    }

    private static IOException knownConnectFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.netty.channel.ConnectTimeoutException) {
                HttpConnectTimeoutException timeout = new HttpConnectTimeoutException(cause.getMessage());
                timeout.initCause(cause);
                return timeout;
            }
            if (cause instanceof ConnectException refused && refused.getMessage() != null
                    && refused.getMessage().startsWith("Connection refused")) {
                // Netty's "Connection refused: /host:port", worded as the transports word the JDK's
                // (which has no message): the address is in the transport's message already.
                ConnectException worded = new ConnectException("connection refused");
                worded.initCause(refused);
                return worded;
            }
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException
                    || cause instanceof SSLHandshakeException) {
                return (IOException) cause;
            }
            if (cause instanceof UnresolvedAddressException) {
                UnknownHostException unknown = new UnknownHostException(cause.getMessage());
                unknown.initCause(cause);
                return unknown;
            }
        }
        return null;
    }

    /**
     * A refused WebSocket upgrade: another status than 101 (Vert.x's own exception), or a 101 that
     * Netty's handshaker turned down (e.g. a subprotocol that was not offered).
     */
    static Throwable upgrade(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.core.http.UpgradeRejectedException refused) {
                Buffer body = refused.getBody();
                byte[] bytes = body == null ? new byte[0] : body.getBytes(0, Math.min(body.length(), BODY_EXCERPT));
                UpgradeRejectedException rejected = new UpgradeRejectedException("the server answered the upgrade with HTTP "
                        + refused.getStatus(), refused.getStatus(), headers(refused.getHeaders()), bytes);
                rejected.initCause(refused);
                return rejected;
            }
            if (cause instanceof io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException refused) {
                io.netty.handler.codec.http.HttpResponse response = refused.response();
                int status = response == null ? 101 : response.status().code();
                HttpHeaders headers = headers(response == null ? MultiMap.caseInsensitiveMultiMap() : nettyHeaders(response));
                UpgradeRejectedException rejected = new UpgradeRejectedException("Vert.x rejected the server's upgrade ("
                        + refused.getMessage() + ")", status, headers, new byte[0]);
                rejected.initCause(refused);
                return rejected;
            }
        }
        return null;
    }

    private static MultiMap nettyHeaders(io.netty.handler.codec.http.HttpResponse response) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        response.headers().forEach(entry -> headers.add(entry.getKey(), entry.getValue()));
        return headers;
    }

    /** Vert.x headers as the JDK's, which the transports read. */
    static HttpHeaders headers(MultiMap headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header : headers) {
            map.computeIfAbsent(header.getKey(), name -> new ArrayList<>(1)).add(header.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    /** The first message down the causes; Netty's own exceptions often have none at the top. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }
}

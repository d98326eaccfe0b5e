package dev.jgql.internal;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * What the HTTP and WebSocket transports both need to say about a failure, written once: where
 * (the endpoint without credentials), whether anything can have been sent, and what a status
 * means. Engines report failures in the JDK's exception vocabulary (see
 * {@link dev.jgql.engine.HttpEngine}), so this works whatever the engine.
 */
public final class TransportFailures {

    /** Where a failure happened, as far as "was anything sent?" is concerned. */
    public enum Stage {
        /**
         * No connection was made (refused, DNS, no route, TLS handshake, connect timeout, a proxy
         * that would not open a tunnel): nothing was sent.
         */
        CONNECT,
        /** The request's own timeout passed after it was sent. */
        TIMEOUT,
        /** The exchange broke after it started: the server may have received the request. */
        EXCHANGE
    }

    private TransportFailures() {
    }

    /** The URI as messages show it: without user info and query, which may hold credentials. */
    public static String redact(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path;
    }

    /** Classifies an engine's failure by looking at it and its causes. */
    public static Stage stage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException || cause instanceof UnresolvedAddressException
                    || cause instanceof UnknownHostException || cause instanceof SSLHandshakeException
                    || isRefusedTunnel(cause)) {
                return Stage.CONNECT;
            }
            if (cause instanceof HttpTimeoutException) {
                return Stage.TIMEOUT;
            }
        }
        return Stage.EXCHANGE;
    }

    /**
     * Why no connection was made, as a sentence: what failed, then {@code consequence} (e.g. "the
     * request was not sent"), then what to check.
     */
    public static String connectFailure(Throwable failure, String where, Duration connectTimeout, String consequence) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException) {
                return "Could not connect to " + where + " within " + connectTimeout.toMillis() + " ms (connectTimeout); "
                        + consequence + ". Is the server running and reachable?";
            }
            if (cause instanceof SSLHandshakeException) {
                return "The TLS handshake with " + where + " failed (" + describe(cause) + "); " + consequence
                        + ". Check the server's certificate, or the SSLContext if it is signed by a private CA";
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return "Could not resolve the host of " + where + " (" + describe(cause) + "); " + consequence
                        + ". Check the URL";
            }
            if (isRefusedTunnel(cause)) {
                return "The proxy refused to open a tunnel to " + where + " (" + describe(cause) + "); " + consequence
                        + ". Check the proxy settings of the HttpClient, and that the proxy lets this host through";
            }
        }
        return "Could not connect to " + where + " (" + describe(failure) + "); " + consequence + ". Is the server running?";
    }

    /**
     * A proxy answered CONNECT with another status than 200 (407 excepted, which the JDK returns as
     * a response): the JDK's {@code IOException("Tunnel failed, got: 403")}, before any byte for
     * the server was written.
     */
    private static boolean isRefusedTunnel(Throwable cause) {
        return cause instanceof IOException && cause.getMessage() != null && cause.getMessage().startsWith("Tunnel failed");
    }

    /** The first message down the causes that says something: the JDK's refusal, for one, has none at all. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** What an HTTP status means for the user, for a refused request or handshake. */
    public static String statusHint(int status, Duration retryAfter) {
        String wait = retryAfter == null ? "" : "; the server asks to wait " + retryAfter.toSeconds() + " s";
        return switch (status) {
            case 401, 403 -> "the server refused the credentials; check the Authorization header or token (not shown)";
            case 407 -> "a proxy between the client and the server requires credentials, and the request did not "
                    + "reach the server; configure an Authenticator (or the proxy) on the HttpClient";
            case 404 -> "check the endpoint URL";
            case 405 -> "the server does not accept this method at this URL; check the endpoint URL";
            case 413, 414, 431 -> "the request is too large for the server";
            case 429 -> "the server is rate limiting" + wait;
            case 502, 503, 504 -> "the server or a proxy in front of it is unavailable; retry later" + wait;
            default -> status >= 500 ? "the server failed; retry later" + wait : "the server rejected the request";
        };
    }
}

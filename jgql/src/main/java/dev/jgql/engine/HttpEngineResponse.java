package dev.jgql.engine;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The response to an {@link HttpEngineRequest}: status, headers, negotiated HTTP version, and the
 * body, either whole or as a stream, as the request's
 * {@link HttpEngineRequest#responseMode() response mode} chose for it. Immutable.
 *
 * <pre>{@code
 * HttpEngineResponse response = engine.execute(request).join();
 * if (response.isStreamed()) {
 *     response.bodyStream().orElseThrow().subscribe(chunkSubscriber);
 * } else {
 *     byte[] body = response.body().orElseThrow();
 * }
 * }</pre>
 *
 * <p>A streamed body must be subscribed to exactly once; it honours {@code request(n)} (the engine
 * stops reading the socket while there is no demand), and cancelling its subscription closes the
 * connection it arrived on. It ends with {@code onComplete} at the end of the body, or
 * {@code onError} with an {@link java.io.IOException} if the connection broke.
 */
public final class HttpEngineResponse {
    private final int statusCode;
    private final HttpHeaders headers;
    private final HttpClient.Version version;
    private final byte[] body;
    private final Flow.Publisher<List<ByteBuffer>> bodyStream;

    private HttpEngineResponse(int statusCode, HttpHeaders headers, HttpClient.Version version, byte[] body,
            Flow.Publisher<List<ByteBuffer>> bodyStream) {
        this.statusCode = statusCode;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.version = Objects.requireNonNull(version, "version");
        this.body = body;
        this.bodyStream = bodyStream;
    }

    /**
     * A response whose body was read whole.
     *
     * @param statusCode the status
     * @param headers    the headers
     * @param version    the HTTP version the exchange used
     * @param body       the whole body (empty if there was none); not copied
     * @return the response
     */
    public static HttpEngineResponse whole(int statusCode, HttpHeaders headers, HttpClient.Version version, byte[] body) {
        return new HttpEngineResponse(statusCode, headers, version, Objects.requireNonNull(body, "body"), null);
    }

    /**
     * A response whose body is handed over as a stream.
     *
     * @param statusCode the status
     * @param headers    the headers
     * @param version    the HTTP version the exchange used
     * @param bodyStream the body's chunks, in order
     * @return the response
     */
    public static HttpEngineResponse streamed(int statusCode, HttpHeaders headers, HttpClient.Version version,
            Flow.Publisher<List<ByteBuffer>> bodyStream) {
        return new HttpEngineResponse(statusCode, headers, version, null, Objects.requireNonNull(bodyStream, "bodyStream"));
    }

    /** @return the HTTP status code */
    public int statusCode() {
        return statusCode;
    }

    /** @return the response headers (names compare case-insensitively) */
    public HttpHeaders headers() {
        return headers;
    }

    /** @return the HTTP version the exchange used, e.g. HTTP/2 when ALPN negotiated it */
    public HttpClient.Version version() {
        return version;
    }

    /** @return whether the body is a stream rather than whole bytes */
    public boolean isStreamed() {
        return bodyStream != null;
    }

    /** @return the whole body, or empty when it is streamed */
    public Optional<byte[]> body() {
        return Optional.ofNullable(body);
    }

    /** @return the body's chunks, or empty when it was read whole */
    public Optional<Flow.Publisher<List<ByteBuffer>>> bodyStream() {
        return Optional.ofNullable(bodyStream);
    }

    /**
     * Lets go of a streamed body nobody will read: subscribes to it and cancels at once, which
     * closes the connection it arrived on. A streamed body that is never subscribed to is never
     * read either, so its connection would stay open (and, on JDK 17, its client's selector thread
     * alive). Does nothing for a body read whole.
     */
    public void discard() {
        if (bodyStream != null) {
            bodyStream.subscribe(DISCARD);
        }
    }

    /** Cancels whatever it subscribes to; holds no state, so one serves every discarded body. */
    static final Flow.Subscriber<List<ByteBuffer>> DISCARD = new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            // cancelled: nothing was requested
        }

        @Override
        public void onError(Throwable throwable) {
            // nobody reads this body
        }

        @Override
        public void onComplete() {
            // nobody reads this body
        }
    };

    @Override
    public String toString() {
        return "HttpEngineResponse{" + statusCode + ", " + version + (isStreamed() ? ", streamed" : ", " + body.length + " bytes")
                + '}';
    }
}

package dev.jgql.engine;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Flow;

/**
 * One HTTP request for an {@link HttpEngine}: method, URI, headers, an optional body (whole bytes
 * or a stream), an optional timeout, and how to read the response. Immutable.
 *
 * <pre>{@code
 * HttpEngineRequest request = HttpEngineRequest.post(uri, HttpEngineRequest.Body.ofBytes(json))
 *     .header("Content-Type", "application/json")
 *     .header("Accept", "application/graphql-response+json")
 *     .timeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
public final class HttpEngineRequest {
    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final String method;
    private final URI uri;
    private final HttpHeaders headers;
    private final Body body;
    private final Duration timeout;
    private final ResponseMode responseMode;
    private final long maxResponseSize;

    private HttpEngineRequest(Builder builder) {
        this.method = builder.method;
        this.uri = builder.uri;
        this.headers = builder.headers != null ? builder.headers
                : builder.headerMap == null ? NO_HEADERS : HttpHeaders.of(builder.headerMap, (name, value) -> true);
        this.body = builder.body;
        this.timeout = builder.timeout;
        this.responseMode = builder.responseMode;
        this.maxResponseSize = builder.maxResponseSize;
    }

    /**
     * A GET request.
     *
     * @param uri the absolute URI, query included
     * @return a builder
     */
    public static Builder get(URI uri) {
        return new Builder("GET", uri, null);
    }

    /**
     * A POST request with this body.
     *
     * @param uri  the absolute URI
     * @param body what to send
     * @return a builder
     */
    public static Builder post(URI uri, Body body) {
        return new Builder("POST", uri, Objects.requireNonNull(body, "body"));
    }

    /**
     * A request with any method, e.g. {@code PUT} or {@code DELETE}.
     *
     * @param method the method, upper case
     * @param uri    the absolute URI
     * @param body   what to send, or {@code null} for no body
     * @return a builder
     */
    public static Builder of(String method, URI uri, Body body) {
        return new Builder(method, uri, body);
    }

    /** @return the method, e.g. {@code POST} */
    public String method() {
        return method;
    }

    /** @return the absolute URI */
    public URI uri() {
        return uri;
    }

    /** @return the headers to send (names compare case-insensitively) */
    public HttpHeaders headers() {
        return headers;
    }

    /** @return the body, or empty when there is none */
    public Optional<Body> body() {
        return Optional.ofNullable(body);
    }

    /** The body or null, for the engines of this package on their hot path. */
    Body bodyOrNull() {
        return body;
    }

    /** @return how long the exchange may take once started, or empty for no limit of its own */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return whether each response is read whole or handed over as a stream */
    public ResponseMode responseMode() {
        return responseMode;
    }

    /** @return the largest whole body the engine reads before failing with {@link ResponseTooLargeException} */
    public long maxResponseSize() {
        return maxResponseSize;
    }

    @Override
    public String toString() {
        return method + " " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /**
     * Decides, from a response's status and headers, whether its body is read whole (the fast
     * path for JSON answers) or handed over as a stream (server-sent events, multipart answers).
     *
     * <pre>{@code
     * ResponseMode streamEvents = (status, headers) -> headers.firstValue("Content-Type")
     *         .orElse("").startsWith("text/event-stream");
     * }</pre>
     */
    @FunctionalInterface
    public interface ResponseMode {
        /** Every body is read whole. */
        ResponseMode WHOLE = (status, headers) -> false;
        /** Every body is handed over as a stream. */
        ResponseMode STREAM = (status, headers) -> true;

        /**
         * @param statusCode the response's status
         * @param headers    the response's headers
         * @return {@code true} to stream this response's body, {@code false} to read it whole
         */
        boolean stream(int statusCode, HttpHeaders headers);
    }

    /**
     * A request body: bytes in memory, or a stream of byte buffers sent with back-pressure (large
     * uploads in constant memory).
     *
     * <pre>{@code
     * Body json = Body.ofBytes(bytes);
     * Body file = Body.ofPublisher(publisherOfChunks, Files.size(path));
     * }</pre>
     */
    public static final class Body {
        private final byte[] bytes;
        private final Flow.Publisher<ByteBuffer> publisher;
        private final long contentLength;

        private Body(byte[] bytes, Flow.Publisher<ByteBuffer> publisher, long contentLength) {
            this.bytes = bytes;
            this.publisher = publisher;
            this.contentLength = contentLength;
        }

        /**
         * A body held in memory; the array is not copied and must not change afterwards.
         *
         * @param bytes the body
         * @return the body
         */
        public static Body ofBytes(byte[] bytes) {
            Objects.requireNonNull(bytes, "bytes");
            return new Body(bytes, null, bytes.length);
        }

        /**
         * A body streamed from a publisher, which the engine subscribes to once and reads with
         * back-pressure; the buffers must not change once published.
         *
         * @param publisher     the chunks, in order
         * @param contentLength the total length in bytes, or -1 if unknown (then sent chunked)
         * @return the body
         */
        public static Body ofPublisher(Flow.Publisher<ByteBuffer> publisher, long contentLength) {
            Objects.requireNonNull(publisher, "publisher");
            if (contentLength < -1) {
                throw new IllegalArgumentException("contentLength must be -1 (unknown) or at least 0: " + contentLength);
            }
            return new Body(null, publisher, contentLength);
        }

        /** @return the bytes, or empty if the body is streamed */
        public Optional<byte[]> bytes() {
            return Optional.ofNullable(bytes);
        }

        /** The bytes or null, for the engines of this package on their hot path. */
        byte[] bytesOrNull() {
            return bytes;
        }

        /** @return the publisher, or empty if the body is in memory */
        public Optional<Flow.Publisher<ByteBuffer>> publisher() {
            return Optional.ofNullable(publisher);
        }

        /** @return the length in bytes, or -1 if unknown */
        public long contentLength() {
            return contentLength;
        }
    }

    /** Builds an {@link HttpEngineRequest}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final URI uri;
        private final Body body;
        private HttpHeaders headers;
        private Map<String, List<String>> headerMap;
        private Duration timeout;
        private ResponseMode responseMode = ResponseMode.WHOLE;
        private long maxResponseSize = Long.MAX_VALUE;

        private Builder(String method, URI uri, Body body) {
            this.method = Objects.requireNonNull(method, "method");
            this.uri = Objects.requireNonNull(uri, "uri");
            this.body = body;
        }

        /**
         * Adds a header value. Default: no headers.
         *
         * @param name  the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (headerMap == null) {
                headerMap = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                if (headers != null) {
                    headers.map().forEach((key, values) -> headerMap.put(key, new ArrayList<>(values)));
                    headers = null;
                }
            }
            headerMap.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
            return this;
        }

        /**
         * Replaces every header with these, e.g. a set computed once and shared by many requests.
         *
         * @param headers the headers
         * @return this builder
         */
        public Builder headers(HttpHeaders headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            this.headerMap = null;
            return this;
        }

        /**
         * How long the exchange may take, until the response's headers arrive. Default: no limit
         * of its own (the caller bounds it).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = dev.jgql.internal.Checks.positive(timeout, "timeout");
            return this;
        }

        /**
         * Whether responses are read whole or streamed. Default {@link ResponseMode#WHOLE}.
         *
         * @param responseMode the decision, made per response
         * @return this builder
         */
        public Builder responseMode(ResponseMode responseMode) {
            this.responseMode = Objects.requireNonNull(responseMode, "responseMode");
            return this;
        }

        /**
         * The largest whole body to read. Default: no limit.
         *
         * @param maxResponseSize a positive number of bytes
         * @return this builder
         */
        public Builder maxResponseSize(long maxResponseSize) {
            if (maxResponseSize <= 0) {
                throw new IllegalArgumentException("maxResponseSize must be positive: " + maxResponseSize);
            }
            this.maxResponseSize = maxResponseSize;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return an immutable request
         */
        public HttpEngineRequest build() {
            return new HttpEngineRequest(this);
        }
    }
}

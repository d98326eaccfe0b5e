package dev.jgql.vertx;

import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.engine.ResponseTooLargeException;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link HttpEngine} on a Vert.x 5 {@code HttpClient} of its own.
 *
 * <h2>Pool policy</h2>
 * At most {@link #HTTP1_POOL_SIZE} HTTP/1.1 connections per host (requests beyond wait in
 * Vert.x's queue); HTTP/2 on one connection per host, multiplexed up to the server's stream limit.
 * {@link VertxEngine} has the measurement that chose the cap.
 *
 * <h2>How an exchange runs</h2>
 * The request is written once Vert.x gives a connection (a failure before that is a connect
 * failure: nothing was sent). A whole body is copied chunk by chunk straight into one array
 * (sized by Content-Length when there is one) and refused as soon as it grows past
 * {@code maxResponseSize}; a streamed body is paused and read with {@code fetch(n)} as the
 * subscriber asks; a streamed request body is written as the publisher produces it, one buffer
 * at a time and only while Vert.x's write queue has room. Cancelling resets the request (over
 * HTTP/1.1 that closes its connection). All of it runs on the request's event loop.
 */
final class VertxHttpEngine implements HttpEngine {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VertxHttpEngine.class);
    /**
     * The largest number of HTTP/1.1 connections per host: 5, or the system property
     * {@code jgql.vertx.maxHttp1Connections} (read once). See {@link VertxEngine} for the
     * measurement that chose it.
     */
    static final int HTTP1_POOL_SIZE = Math.max(1, Integer.getInteger("jgql.vertx.maxHttp1Connections", 5));
    /** Whole bodies above this are handed to the caller on a worker thread, not on the event loop. */
    static final int HAND_OVER_THRESHOLD = 1 << 20;
    /** A byte array holds at most about 2 GiB, whatever the limit says. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final VertxEngine.Lease lease;
    private final Vertx vertx;
    private final EngineSettings settings;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final Set<HttpClientAgent> retired = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private volatile HttpClientAgent client;

    VertxHttpEngine(VertxEngine.Lease lease, EngineSettings settings) {
        this.lease = lease;
        this.vertx = lease.vertx;
        this.settings = settings;
        this.options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setDecompressionSupported(false)
                .setVerifyHost(true)
                .setTcpNoDelay(true)
                .setName("jgql-" + settings.name());
        if (settings.httpVersion() == HttpClient.Version.HTTP_2) {
            // Over TLS: offered by ALPN. In clear text: the HTTP/1.1 upgrade, as the JDK does.
            options.setProtocolVersion(HttpVersion.HTTP_2)
                    .setUseAlpn(true)
                    .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
        }
        settings.sslContext().ifPresent(context -> options.setSslEngineOptions(new ContextSslEngineOptions(context)));
        // Event streams hold a connection each for as long as they last: room for them on top of the cap.
        this.pool = new PoolOptions().setHttp1MaxSize(HTTP1_POOL_SIZE + settings.longLivedResponses()).setHttp2MaxSize(1);
        this.client = newClient();
    }

    private HttpClientAgent newClient() {
        return vertx.httpClientBuilder().with(options).with(pool)
                // A pooled connection that fails between requests (reset by the server, say) has nobody
                // to tell; without a handler Vert.x logs it as an error. The next request opens another.
                .withConnectHandler(connection -> connection.exceptionHandler(failure ->
                        LOG.debug("An idle pooled connection failed: {}", failure.toString())))
                .build();
    }

    @Override
    public CompletableFuture<HttpEngineResponse> execute(HttpEngineRequest request) {
        Objects.requireNonNull(request, "request");
        HttpClientAgent sender = client;
        if (sender == null) {
            return CompletableFuture.failedFuture(new IOException("The HTTP engine is closed"));
        }
        RequestOptions requestOptions;
        try {
            requestOptions = options(request);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Exchange exchange = new Exchange(request);
        exchange.startTimer();
        connect(exchange, sender, requestOptions, true);
        return exchange;
    }

    /**
     * Gets a connection for the exchange from {@code sender}. A client retired by
     * {@link #discardPooledConnections()} while the exchange was still waiting for a connection
     * refuses it (nothing was sent yet): the exchange then tries once more on the client that
     * replaced it.
     */
    private void connect(Exchange exchange, HttpClientAgent sender, RequestOptions requestOptions, boolean mayRetry) {
        Future<HttpClientRequest> connecting;
        try {
            connecting = sender.request(requestOptions);
        } catch (RuntimeException e) {
            exchange.notConnected(e);
            return;
        }
        connecting.onComplete(exchange::connected, failure -> {
            HttpClientAgent current = client;
            if (mayRetry && current != null && current != sender && !exchange.isDone()) {
                connect(exchange, current, requestOptions, false);
            } else {
                exchange.notConnected(failure);
            }
        });
    }

    private static RequestOptions options(HttpEngineRequest request) {
        Endpoint endpoint = Endpoint.of(request.uri(), "http", "https");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            for (String value : header.getValue()) {
                headers.add(header.getKey(), value);
            }
        }
        return new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(endpoint.target())
                .setFollowRedirects(false)
                .setHeaders(headers);
    }

    @Override
    public void discardPooledConnections() {
        HttpClientAgent replaced;
        synchronized (this) {
            replaced = client;
            if (replaced == null) {
                return;
            }
            client = newClient();
            retired.add(replaced);
        }
        // Requests in flight finish on their connections; then those close.
        replaced.shutdown(java.time.Duration.ofSeconds(30)).onComplete(ignored -> retired.remove(replaced));
    }

    @Override
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return closing;
        }
        HttpClientAgent last;
        synchronized (this) {
            last = client;
            client = null;
        }
        List<Future<Void>> closes = new ArrayList<>();
        if (last != null) {
            closes.add(last.close());
        }
        for (HttpClientAgent old : retired) {
            closes.add(old.close());
        }
        Future.join(closes).onComplete(ignored -> lease.release().whenComplete((done, failure) -> closing.complete(null)));
        return closing;
    }

    @Override
    public String toString() {
        return "VertxHttpEngine{" + settings.httpVersion() + ", " + HTTP1_POOL_SIZE + " HTTP/1.1 connections per host}";
    }

    private static HttpClient.Version version(HttpVersion version) {
        return version == HttpVersion.HTTP_2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
    }

    /** The Content-Length, or -1 when there is none or it is not a number (the body then tells its length). */
    private static long declaredLength(HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("Content-Length").orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ByteBuffer nio(Buffer buffer) {
        return ((BufferInternal) buffer).getByteBuf().nioBuffer();
    }

    /** One exchange, and the future its caller holds (one object per request, on the hot path). */
    private final class Exchange extends CompletableFuture<HttpEngineResponse> {
        private final HttpEngineRequest request;
        private volatile HttpClientRequest onWire;
        private volatile long timer = -1;
        private Upload upload;

        Exchange(HttpEngineRequest request) {
            this.request = request;
        }

        void startTimer() {
            if (request.timeout().isEmpty()) {
                return;
            }
            long millis = Math.max(1, request.timeout().get().toMillis());
            timer = vertx.setTimer(millis, id -> {
                // No connection yet: nothing was sent, so it is a connect failure.
                IOException failure = onWire == null ? VertxFailures.connectTimedOut(millis)
                        : VertxFailures.requestTimedOut(millis);
                if (completeExceptionally(failure)) {
                    abandon();
                }
            });
        }

        private void cancelTimer() {
            long id = timer;
            if (id >= 0) {
                timer = -1;
                vertx.cancelTimer(id);
            }
        }

        void notConnected(Throwable failure) {
            cancelTimer();
            completeExceptionally(VertxFailures.connect(failure));
        }

        void connected(HttpClientRequest wire) {
            onWire = wire;
            if (isDone()) {
                wire.reset(); // cancelled, or timed out, while the connection was being made
                return;
            }
            wire.response().onComplete(this::responded, this::failed);
            HttpEngineRequest.Body body = request.body().orElse(null);
            if (body == null) {
                wire.end();
            } else if (body.bytes().isPresent()) {
                wire.end(BufferInternal.buffer(Unpooled.wrappedBuffer(body.bytes().get())));
            } else {
                if (body.contentLength() >= 0) {
                    wire.putHeader("Content-Length", Long.toString(body.contentLength()));
                } else {
                    wire.setChunked(true);
                }
                upload = new Upload(wire, Vertx.currentContext(), this);
                body.publisher().orElseThrow().subscribe(upload);
            }
        }

        void failed(Throwable failure) {
            cancelTimer();
            stopUpload();
            completeExceptionally(VertxFailures.exchange(failure));
        }

        void responded(HttpClientResponse response) {
            cancelTimer();
            stopUpload();
            // Whatever happens to the response from now on is this exchange's to handle: without a handler,
            // Vert.x logs a reset (ours, when the caller gave up) at ERROR.
            response.exceptionHandler(this::failed);
            if (isDone()) {
                onWire.reset();
                return;
            }
            try {
                read(response);
            } catch (RuntimeException e) {
                // A fault of jgql's or of the response mode: the caller must hear of it, not wait.
                completeExceptionally(e);
                onWire.reset();
            }
        }

        private void read(HttpClientResponse response) {
            int status = response.statusCode();
            HttpHeaders headers = VertxFailures.headers(response.headers());
            HttpClient.Version version = version(response.version());
            if (request.responseMode().stream(status, headers)) {
                response.pause();
                BodyStream body = new BodyStream(onWire, response, Vertx.currentContext());
                if (!complete(HttpEngineResponse.streamed(status, headers, version, body))) {
                    onWire.reset();
                }
                return;
            }
            long limit = Math.min(request.maxResponseSize(), MAX_ARRAY);
            long declared = declaredLength(headers);
            if (declared > limit) {
                tooLarge();
                return;
            }
            WholeBody whole = new WholeBody(declared, limit);
            response.handler(chunk -> {
                if (!whole.add(chunk) && !isDone()) {
                    tooLarge();
                }
            });
            response.exceptionHandler(this::failed);
            response.endHandler(ignored -> {
                if (isDone() || whole.tooLarge) {
                    return;
                }
                byte[] bytes = whole.bytes();
                HttpEngineResponse result = HttpEngineResponse.whole(status, headers, version, bytes);
                if (bytes.length > HAND_OVER_THRESHOLD) {
                    // Parsing a large body on the event loop would hold every connection on it.
                    vertx.executeBlocking(() -> complete(result), false);
                } else {
                    complete(result);
                }
            });
        }

        private void tooLarge() {
            // Completed first: the reset fails the response at once, with a less telling exception.
            completeExceptionally(new ResponseTooLargeException(request.maxResponseSize()));
            onWire.reset();
        }

        private void stopUpload() {
            Upload running = upload;
            if (running != null) {
                running.stop();
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            abandon();
            return cancelled;
        }

        /** Frees the connection of an exchange nobody waits for any more. */
        private void abandon() {
            cancelTimer();
            HttpClientRequest wire = onWire;
            if (wire != null) {
                wire.reset();
            }
        }
    }

    /** A whole body, copied straight into one array and refused once it grows past the limit. */
    private static final class WholeBody {
        private final long limit;
        private byte[] bytes;
        private int size;
        boolean tooLarge;

        WholeBody(long declared, long limit) {
            this.limit = limit;
            this.bytes = new byte[(int) (declared >= 0 ? declared : Math.min(limit, 8192))];
        }

        /** Adds a chunk; false if the body is now too large. */
        boolean add(Buffer chunk) {
            if (tooLarge) {
                return true;
            }
            int length = chunk.length();
            if (size + (long) length > limit) {
                tooLarge = true;
                bytes = null;
                return false;
            }
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + (long) length, bytes.length * 2L)));
            }
            chunk.getBytes(0, length, bytes, size);
            size += length;
            return true;
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /**
     * A streamed response body: paused until subscribed, then read as the subscriber asks
     * ({@code fetch(n)}: Netty stops reading the socket while there is no demand). Every signal
     * runs on the request's event loop.
     */
    private static final class BodyStream implements Flow.Publisher<List<ByteBuffer>>, Flow.Subscription {
        private final HttpClientRequest wire;
        private final HttpClientResponse response;
        private final Context context;
        private final AtomicBoolean subscribed = new AtomicBoolean();
        // on the event loop only
        private Flow.Subscriber<? super List<ByteBuffer>> subscriber;
        private Throwable earlyFailure;
        private boolean finished;

        BodyStream(HttpClientRequest wire, HttpClientResponse response, Context context) {
            this.wire = wire;
            this.response = response;
            this.context = context;
            response.handler(chunk -> {
                if (!finished) {
                    subscriber.onNext(List.of(nio(chunk)));
                }
            });
            response.endHandler(ignored -> {
                if (finish()) {
                    subscriber.onComplete();
                }
            });
            response.exceptionHandler(failure -> {
                if (subscriber == null) {
                    earlyFailure = failure;
                } else if (finish()) {
                    subscriber.onError(VertxFailures.exchange(failure));
                }
            });
        }

        private boolean finish() {
            if (finished) {
                return false;
            }
            finished = true;
            return true;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> subscriber) {
            Objects.requireNonNull(subscriber, "subscriber");
            if (!subscribed.compareAndSet(false, true)) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("A response body can be subscribed to only once"));
                return;
            }
            context.runOnContext(ignored -> {
                this.subscriber = subscriber;
                subscriber.onSubscribe(this);
                if (earlyFailure != null && finish()) {
                    subscriber.onError(VertxFailures.exchange(earlyFailure));
                }
            });
        }

        @Override
        public void request(long n) {
            context.runOnContext(ignored -> {
                if (finished) {
                    return;
                }
                if (n <= 0) {
                    finished = true;
                    wire.reset();
                    subscriber.onError(new IllegalArgumentException("request(n) needs a positive n, not " + n));
                    return;
                }
                response.fetch(n);
            });
        }

        @Override
        public void cancel() {
            context.runOnContext(ignored -> {
                if (finish()) {
                    wire.reset(); // over HTTP/1.1 this closes the connection: the rest is never read
                }
            });
        }
    }

    /**
     * A streamed request body: one buffer requested at a time, the next only once Vert.x's write
     * queue has room, so the publisher is never ahead of the socket by more than that queue.
     */
    private static final class Upload implements Flow.Subscriber<ByteBuffer> {
        private final HttpClientRequest wire;
        private final Context context;
        private final CompletableFuture<HttpEngineResponse> exchange;
        // on the event loop only
        private Flow.Subscription subscription;
        private boolean done;

        Upload(HttpClientRequest wire, Context context, CompletableFuture<HttpEngineResponse> exchange) {
            this.wire = wire;
            this.context = context;
            this.exchange = exchange;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            context.runOnContext(ignored -> {
                if (this.subscription != null || done) {
                    subscription.cancel();
                    return;
                }
                this.subscription = subscription;
                wire.drainHandler(drained -> {
                    if (!done) {
                        subscription.request(1);
                    }
                });
                subscription.request(1);
            });
        }

        @Override
        public void onNext(ByteBuffer item) {
            context.runOnContext(ignored -> {
                if (done) {
                    return;
                }
                wire.write(BufferInternal.buffer(Unpooled.wrappedBuffer(item)));
                if (!wire.writeQueueFull()) {
                    subscription.request(1);
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            context.runOnContext(ignored -> {
                if (done) {
                    return;
                }
                done = true;
                wire.reset(0, failure);
                exchange.completeExceptionally(new IOException("The request body's publisher failed: "
                        + VertxFailures.describe(failure), failure));
            });
        }

        @Override
        public void onComplete() {
            context.runOnContext(ignored -> {
                if (!done) {
                    done = true;
                    wire.end();
                }
            });
        }

        /** The exchange ended (answered, failed or abandoned) before the body was all sent. */
        void stop() {
            context.runOnContext(ignored -> {
                if (!done) {
                    done = true;
                    if (subscription != null) {
                        subscription.cancel();
                    }
                }
            });
        }
    }
}

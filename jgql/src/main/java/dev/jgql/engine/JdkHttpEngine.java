package dev.jgql.engine;

import dev.jgql.internal.BlockingCaller;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link HttpEngine} on the JDK's {@link HttpClient}.
 *
 * <p>Why it does not always call {@code sendAsync}: the JDK completes the future of
 * {@code sendAsync} through {@code CompletableFuture}'s default executor, and where the common
 * fork-join pool has a parallelism of one (one or two cores) that executor is a
 * {@code ThreadPerTaskExecutor} up to JDK 20: one new thread per response. Measured on two cores
 * on JDK 17 that makes {@code sendAsync} 2 to 3 times slower than {@code send}. There the engine
 * runs the synchronous {@code send} on its own reused threads, which costs one hand-over.
 * Requests whose response may be streamed always go through {@code sendAsync} (see
 * {@link #execute}): they are long-lived, so the hand-over does not matter, and they are often
 * given up, which must happen through the exchange's future.
 */
final class JdkHttpEngine implements HttpEngine {
    /** Whether {@code sendAsync} would start a thread for every response on this JVM. */
    static final boolean SEND_ASYNC_STARTS_A_THREAD =
            !(new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool);

    /** How long closing lets sends in flight finish before it interrupts them. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final EngineSettings settings;
    private final boolean ownsClient;
    private final ExecutorService ownThreads;
    private final Executor threads;
    private final boolean sendOnOwnThreads;
    private volatile HttpClient client;
    /** Streamed bodies still being read: closing the engine ends them (on JDK 17 nothing else would). */
    private final Set<TrackedBody> openBodies = ConcurrentHashMap.newKeySet();
    /** Exchanges whose response may be streamed, until their headers are in: closing the engine cancels them. */
    private final Set<CompletableFuture<?>> streamsOnTheirWay = ConcurrentHashMap.newKeySet();

    JdkHttpEngine(EngineSettings settings, HttpClient supplied) {
        this(settings, supplied, SEND_ASYNC_STARTS_A_THREAD);
    }

    JdkHttpEngine(EngineSettings settings, HttpClient supplied, boolean sendOnOwnThreads) {
        this.settings = settings;
        this.ownsClient = supplied == null;
        this.ownThreads = settings.executor().isPresent() ? null : JdkClients.threads(settings);
        this.threads = settings.executor().orElse(ownThreads);
        this.client = supplied != null ? supplied : JdkClients.build(settings, threads);
        this.sendOnOwnThreads = sendOnOwnThreads;
    }

    @Override
    public CompletableFuture<HttpEngineResponse> execute(HttpEngineRequest request) {
        HttpClient sender = client;
        if (sender == null) {
            return CompletableFuture.failedFuture(new IOException("The HTTP engine is closed"));
        }
        HttpRequest jdkRequest;
        try {
            jdkRequest = toJdk(request);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        BodySlot slot = new BodySlot();
        HttpResponse.BodyHandler<HttpEngineResponse> handler = info -> body(request, info, slot);
        // A response that may be streamed is an SSE stream, a subscription or an incremental
        // answer: long-lived, and routinely given up while its headers may be arriving. Such an
        // exchange is always cancelled through its future: interrupting a thread in the JDK's
        // synchronous send can land while that thread does the exchange's socket work inline,
        // and on JDK 17 that leaves the exchange counted as pending for good (its client's
        // selector thread never ends; measured: 18 of 150 such cancels).
        boolean mayStream = request.responseMode() != HttpEngineRequest.ResponseMode.WHOLE;
        BlockingCaller caller = mayStream ? null : BlockingCaller.current();
        if (caller != null) {
            // The calling thread will wait for this exchange anyway: do it here, with no hand-over at all.
            Send send = new Send(sender, jdkRequest, handler, slot);
            if (caller.claim(send::interruptIfRunning)) {
                try {
                    send.run();
                } finally {
                    caller.released();
                }
                return send.result;
            }
        }
        if (mayStream || !sendOnOwnThreads) {
            CompletableFuture<HttpResponse<HttpEngineResponse>> exchange = sender.sendAsync(jdkRequest, handler);
            CompletableFuture<HttpEngineResponse> response = new CompletableFuture<>();
            if (mayStream) {
                // closing the engine cancels it (on JDK 21 and later, shutdownNow does for every exchange)
                streamsOnTheirWay.add(exchange);
                if (client == null) {
                    exchange.cancel(true);
                }
            }
            exchange.whenComplete((answer, failure) -> {
                if (mayStream) {
                    streamsOnTheirWay.remove(exchange);
                }
                if (failure != null) {
                    slot.abandon();
                    response.completeExceptionally(failure);
                } else {
                    deliver(response, bodyOf(answer));
                }
            });
            response.whenComplete((value, failure) -> {
                if (response.isCancelled()) {
                    exchange.cancel(true);
                }
            });
            return response;
        }
        Send send = new Send(sender, jdkRequest, handler, slot);
        try {
            threads.execute(send);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("The HTTP engine is closed", e));
        }
        return send.result;
    }

    /**
     * Completes {@code result} with {@code response}; if the caller gave up first (cancelled, or
     * completed it otherwise), a streamed body is cancelled here, because a body nobody subscribes
     * to is never read: its connection would stay open and, on JDK 17, its client's selector
     * thread would outlive the client.
     */
    private static void deliver(CompletableFuture<HttpEngineResponse> result, HttpEngineResponse response) {
        if (!result.complete(response)) {
            response.discard();
        }
    }

    private static HttpRequest toJdk(HttpEngineRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri());
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        HttpEngineRequest.Body body = request.bodyOrNull();
        if (body != null) {
            byte[] bytes = body.bytesOrNull();
            if (bytes != null) {
                publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
            } else {
                Flow.Publisher<ByteBuffer> chunks = body.publisher().orElseThrow();
                publisher = body.contentLength() > 0 ? HttpRequest.BodyPublishers.fromPublisher(chunks, body.contentLength())
                        : HttpRequest.BodyPublishers.fromPublisher(chunks);
            }
        }
        builder.method(request.method(), publisher);
        request.headers().map().forEach((name, values) -> {
            for (String value : values) {
                builder.header(name, value);
            }
        });
        if (request.timeout().isPresent()) {
            builder.timeout(request.timeout().get());
        }
        return builder.build();
    }

    /**
     * The engine's response inside the JDK's. The JDK answers a proxy's 407 to {@code CONNECT}
     * without calling the body handler at all: that response has status and headers but no body.
     */
    private static HttpEngineResponse bodyOf(HttpResponse<HttpEngineResponse> response) {
        HttpEngineResponse body = response.body();
        return body != null ? body
                : HttpEngineResponse.whole(response.statusCode(), response.headers(), response.version(), new byte[0]);
    }

    /** Chooses, once the status and headers are in, whether the body is read whole or handed over. */
    private BodySubscriber<HttpEngineResponse> body(HttpEngineRequest request, HttpResponse.ResponseInfo info, BodySlot slot) {
        if (request.responseMode().stream(info.statusCode(), info.headers())) {
            return BodySubscribers.mapping(BodySubscribers.ofPublisher(), chunks -> {
                StreamedBody body = new StreamedBody(chunks);
                slot.filled(body);
                return HttpEngineResponse.streamed(info.statusCode(), info.headers(), info.version(), body);
            });
        }
        BodySubscriber<byte[]> whole = request.maxResponseSize() == Long.MAX_VALUE ? BodySubscribers.ofByteArray()
                : new LimitedBody(request.maxResponseSize(), info.headers().firstValueAsLong("Content-Length").orElse(-1));
        return BodySubscribers.mapping(whole,
                bytes -> HttpEngineResponse.whole(info.statusCode(), info.headers(), info.version(), bytes));
    }

    @Override
    public void discardPooledConnections() {
        if (!ownsClient) {
            return;
        }
        HttpClient replaced;
        synchronized (this) {
            replaced = client;
            if (replaced == null) {
                return;
            }
            client = JdkClients.build(settings, threads);
        }
        JdkClients.retire(replaced);
    }

    @Override
    public CompletableFuture<Void> close() {
        HttpClient closed;
        synchronized (this) {
            closed = client;
            client = null;
        }
        // Before the threads go: a body still being read needs them to end, and on JDK 17 a body
        // left unread keeps its connection open and its client's selector thread alive.
        for (CompletableFuture<?> exchange : streamsOnTheirWay) {
            exchange.cancel(true);
        }
        for (TrackedBody body : openBodies) {
            body.engineClosed();
        }
        if (closed != null && ownsClient) {
            JdkClients.release(closed);
        }
        if (ownThreads != null) {
            // Sends still running are let finish: interrupting the JDK's synchronous send can land
            // while it does the exchange's socket work and, on JDK 17, leave the exchange pending
            // for good. Those still waiting after a grace period (a server that does not answer)
            // are interrupted.
            ownThreads.shutdown();
            CompletableFuture.delayedExecutor(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(ownThreads::shutdownNow);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return "JdkHttpEngine{" + settings.httpVersion() + (sendOnOwnThreads ? ", send on own threads" : ", sendAsync") + '}';
    }

    /**
     * One synchronous {@code send}, on one of the engine's threads or on a caller's that waits for
     * it anyway. Cancelling its future interrupts that thread, which makes the JDK abandon the
     * exchange; the interrupt is delivered only while this send runs, never to what the thread does
     * next, and an interrupt that came from elsewhere (the application interrupting its own thread)
     * is left standing.
     */
    private static final class Send implements Runnable {
        final CompletableFuture<HttpEngineResponse> result = new CompletableFuture<>();
        private final HttpClient client;
        private final HttpRequest request;
        private final HttpResponse.BodyHandler<HttpEngineResponse> handler;
        private final BodySlot slot;
        private Thread runner;
        private boolean finished;
        private boolean interruptedByCancel;

        Send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<HttpEngineResponse> handler, BodySlot slot) {
            this.client = client;
            this.request = request;
            this.handler = handler;
            this.slot = slot;
            result.whenComplete((value, failure) -> {
                if (result.isCancelled()) {
                    interruptIfRunning();
                }
            });
        }

        @Override
        public void run() {
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                deliver(result, bodyOf(client.send(request, handler)));
            } catch (InterruptedException e) {
                slot.abandon();
                synchronized (this) {
                    if (!interruptedByCancel) {
                        Thread.currentThread().interrupt(); // not ours: the thread's owner asked, keep it asked
                    }
                }
                result.completeExceptionally(new InterruptedIOException("The HTTP exchange was abandoned"));
            } catch (IOException | RuntimeException e) {
                slot.abandon();
                result.completeExceptionally(e);
            } finally {
                boolean ours;
                synchronized (this) {
                    finished = true;
                    runner = null;
                    ours = interruptedByCancel;
                }
                if (ours) {
                    // The interrupt that cancelled this send belongs to it, not to what the thread does next.
                    Thread.interrupted();
                }
            }
        }

        synchronized void interruptIfRunning() {
            if (runner != null && !finished) {
                interruptedByCancel = true;
                runner.interrupt();
            }
        }
    }

    /**
     * Where an exchange's streamed body lands once its headers are in. An exchange that is given up
     * (its send interrupted or failed) lets go of its body here, whether the body was made before
     * or after: the JDK may make it while it cancels the exchange, and then hands it to nobody; a
     * body nobody reads keeps its connection open and, on JDK 17, its client's selector thread alive.
     */
    private static final class BodySlot {
        private StreamedBody body;
        private boolean abandoned;

        void filled(StreamedBody made) {
            synchronized (this) {
                if (!abandoned) {
                    body = made;
                    return;
                }
            }
            made.discardUnclaimed();
        }

        void abandon() {
            StreamedBody made;
            synchronized (this) {
                abandoned = true;
                made = body;
            }
            if (made != null) {
                made.discardUnclaimed();
            }
        }
    }

    /** A streamed body as the engine hands it over: each subscriber is tracked while it reads. */
    private final class StreamedBody implements Flow.Publisher<List<ByteBuffer>> {
        private final Flow.Publisher<List<ByteBuffer>> chunks;
        private final AtomicBoolean claimed = new AtomicBoolean();

        StreamedBody(Flow.Publisher<List<ByteBuffer>> chunks) {
            this.chunks = chunks;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> downstream) {
            claimed.set(true);
            chunks.subscribe(new TrackedBody(downstream));
        }

        /** Cancels the body (closing its connection) unless someone subscribed to it already. */
        void discardUnclaimed() {
            if (claimed.compareAndSet(false, true)) {
                chunks.subscribe(new TrackedBody(HttpEngineResponse.DISCARD));
            }
        }
    }

    /**
     * A streamed body between the JDK and its subscriber, known to the engine while it is read, so
     * that closing the engine can end it: the connection is closed and the subscriber gets
     * {@code onError}. Signals to the subscriber are serial (the engine's close may race the JDK's
     * delivery); none follows a terminal one or the subscriber's cancel.
     */
    private final class TrackedBody implements Flow.Subscriber<List<ByteBuffer>>, Flow.Subscription {
        private final Flow.Subscriber<? super List<ByteBuffer>> downstream;
        private volatile Flow.Subscription upstream;
        private boolean done; // guarded by this

        TrackedBody(Flow.Subscriber<? super List<ByteBuffer>> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            openBodies.add(this);
            downstream.onSubscribe(this);
            if (client == null) {
                engineClosed(); // closed while this body was being handed over
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> item) {
            if (!done) {
                downstream.onNext(item);
            }
        }

        @Override
        public synchronized void onError(Throwable throwable) {
            if (finish()) {
                downstream.onError(throwable);
            }
        }

        @Override
        public synchronized void onComplete() {
            if (finish()) {
                downstream.onComplete();
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            synchronized (this) {
                finish();
            }
            upstream.cancel();
        }

        void engineClosed() {
            // Ours first, then the cancel: on JDK 25 the cancel can fail the body before we signal it,
            // with a message about the chunked decoder's state that tells the user nothing.
            synchronized (this) {
                if (finish()) {
                    downstream.onError(new IOException("The HTTP engine was closed while the response body was being read"));
                }
            }
            upstream.cancel();
        }

        /** Marks the end; whether this call was the one that ended it. Called holding the lock. */
        private boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            openBodies.remove(this);
            return true;
        }
    }

    /** A whole body, refused as soon as it grows past the limit (also when its Content-Length says it will). */
    private static final class LimitedBody implements BodySubscriber<byte[]> {
        private final long limit;
        private final long declaredLength;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> received = new ArrayList<>();
        private Flow.Subscription subscription;
        private long size;

        LimitedBody(long limit, long declaredLength) {
            // A byte array holds at most about 2 GiB, whatever the limit says.
            this.limit = Math.min(limit, Integer.MAX_VALUE - 8);
            this.declaredLength = declaredLength;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredLength > limit) {
                tooLarge();
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                size += item.remaining();
                received.add(item);
            }
            if (size > limit) {
                tooLarge();
            }
        }

        private void tooLarge() {
            received.clear();
            subscription.cancel();
            result.completeExceptionally(new ResponseTooLargeException(limit));
        }

        @Override
        public void onError(Throwable throwable) {
            received.clear();
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            byte[] bytes = new byte[(int) size];
            int offset = 0;
            for (ByteBuffer item : received) {
                int length = item.remaining();
                item.get(bytes, offset, length);
                offset += length;
            }
            received.clear();
            result.complete(bytes);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}

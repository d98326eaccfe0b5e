package dev.jgql.engine;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming is real on the engine under test (the JDK's in jgql, Vert.x's in jgql-vertx): a
 * 200 MB response read by a streaming consumer and a 200 MB request sent from a publisher, both in
 * a JVM whose heap (-Xmx64m, set by the build's small-heap execution) could not hold either body;
 * and a cancelled stream closes its connection, as the server sees it. The server is a Vert.x
 * HTTP server on loopback that writes only as fast as the client reads.
 */
@Timeout(120)
class EngineStreamingSmallHeapTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 3200;
    private static final long TOTAL = (long) CHUNK * CHUNKS; // 200 MiB
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LoopbackHttpServer server;
    /** The server's writes stalled because the client stopped reading. */
    private static final AtomicBoolean serverBlocked = new AtomicBoolean();
    private static volatile CompletableFuture<Void> endlessConnectionClosed = new CompletableFuture<>();
    private static final AtomicLong endlessBytesWritten = new AtomicLong();

    private HttpEngine engine;

    @BeforeAll
    static void startServer() throws Exception {
        server = LoopbackHttpServer.start(EngineStreamingSmallHeapTest::handle);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newEngine() {
        engine = LoopbackHttpServer.newEngine();
    }

    @AfterEach
    void closeEngine() throws Exception {
        engine.close().get(10, TimeUnit.SECONDS);
    }

    private static void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/download" -> {
                request.response().putHeader("Content-Type", "application/octet-stream")
                        .putHeader("Content-Length", Long.toString(TOTAL));
                writeChunks(request.response(), CHUNKS, null);
            }
            case "/endless" -> {
                request.connection().closeHandler(closed -> endlessConnectionClosed.complete(null));
                request.response().setChunked(true);
                writeChunks(request.response(), 16 * CHUNKS, endlessBytesWritten); // 3.2 GB: never read whole
            }
            case "/upload" -> {
                CRC32 crc = new CRC32();
                AtomicLong count = new AtomicLong();
                request.handler(buffer -> {
                    crc.update(buffer.getBytes());
                    count.addAndGet(buffer.length());
                });
                request.endHandler(end -> request.response().end(count.get() + " " + crc.getValue()));
            }
            default -> request.response().setStatusCode(404).end();
        }
    }

    /** Writes {@code remaining} chunks, no faster than the connection takes them. */
    private static void writeChunks(HttpServerResponse response, int remaining, AtomicLong written) {
        Buffer chunk = Buffer.buffer(pattern());
        int left = remaining;
        while (left > 0 && !response.writeQueueFull()) {
            if (response.closed() || response.ended()) {
                return; // the client went away (the cancelled stream): nothing more to write
            }
            try {
                response.write(chunk);
            } catch (IllegalStateException closedMeanwhile) {
                return; // closed between the check and the write: expected when the client cancels
            }
            if (written != null) {
                written.addAndGet(CHUNK);
            }
            left--;
        }
        if (left == 0) {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
            return;
        }
        serverBlocked.set(true);
        int rest = left;
        response.drainHandler(drained -> writeChunks(response, rest, written));
    }

    private static byte[] pattern() {
        byte[] bytes = new byte[CHUNK];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static long expectedCrc() {
        CRC32 crc = new CRC32();
        byte[] chunk = pattern();
        for (int i = 0; i < CHUNKS; i++) {
            crc.update(chunk);
        }
        return crc.getValue();
    }

    private URI uri(String path) {
        return server.uri(path);
    }

    @Test
    void a200MbResponseIsReadByAStreamingConsumerWithBackPressure() throws Exception {
        serverBlocked.set(false);
        HttpEngineResponse response = engine.execute(HttpEngineRequest.get(uri("/download"))
                .responseMode(HttpEngineRequest.ResponseMode.STREAM).build()).get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.isStreamed()).isTrue();

        Consumer consumer = new Consumer();
        response.bodyStream().orElseThrow().subscribe(consumer);
        // One chunk asked for and not more: the server must stall, so the engine is not reading ahead.
        assertThat(consumer.first.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!serverBlocked.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(serverBlocked).as("the server waited for the client to read").isTrue();
        consumer.flow();

        consumer.done.get(90, TimeUnit.SECONDS);
        assertThat(consumer.bytes.get()).isEqualTo(TOTAL);
        assertThat(consumer.crc.getValue()).isEqualTo(expectedCrc());
    }

    @Test
    void a200MbRequestIsSentFromAPublisherInConstantMemory() throws Exception {
        ChunkPublisher body = new ChunkPublisher();
        HttpEngineResponse response = engine.execute(HttpEngineRequest.post(uri("/upload"),
                        HttpEngineRequest.Body.ofPublisher(body, TOTAL))
                .header("Content-Type", "application/octet-stream").build()).get(90, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body().orElseThrow(), StandardCharsets.US_ASCII))
                .isEqualTo(TOTAL + " " + expectedCrc());
        assertThat(body.published.get()).isEqualTo(CHUNKS);
    }

    @Test
    void cancellingAStreamedBodyClosesItsConnection() throws Exception {
        endlessConnectionClosed = new CompletableFuture<>();
        HttpEngineResponse response = engine.execute(HttpEngineRequest.get(uri("/endless"))
                .responseMode(HttpEngineRequest.ResponseMode.STREAM).build()).get(30, TimeUnit.SECONDS);
        Consumer consumer = new Consumer();
        response.bodyStream().orElseThrow().subscribe(consumer);
        assertThat(consumer.first.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        consumer.subscription.cancel();

        endlessConnectionClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(endlessBytesWritten.get()).as("the server stopped long before the end").isLessThan(16 * TOTAL);
        assertThat(consumer.done).isNotDone(); // a cancelled subscription gets no further signal
    }

    /** Reads a body chunk by chunk: one chunk first, then one at a time once told to flow. */
    private static final class Consumer implements Flow.Subscriber<List<ByteBuffer>> {
        final CountDownLatch first = new CountDownLatch(1);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        final CRC32 crc = new CRC32();
        private final AtomicBoolean flowing = new AtomicBoolean();
        private final AtomicBoolean waiting = new AtomicBoolean();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                bytes.addAndGet(item.remaining());
                crc.update(item);
            }
            first.countDown();
            if (flowing.get()) {
                subscription.request(1);
            } else {
                waiting.set(true);
            }
        }

        void flow() {
            flowing.set(true);
            if (waiting.compareAndSet(true, false)) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    /** 3,200 chunks of 64 KiB, each made only when asked for. */
    private static final class ChunkPublisher implements Flow.Publisher<ByteBuffer> {
        final AtomicLong published = new AtomicLong();

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private final AtomicLong demand = new AtomicLong();
                private final AtomicBoolean emitting = new AtomicBoolean();
                private volatile boolean cancelled;

                @Override
                public void request(long n) {
                    demand.addAndGet(n);
                    // One emitting thread at a time; a request made while emitting is picked up by the loop.
                    while (!cancelled && emitting.compareAndSet(false, true)) {
                        try {
                            while (!cancelled && demand.get() > 0 && published.get() < CHUNKS) {
                                demand.decrementAndGet();
                                published.incrementAndGet();
                                subscriber.onNext(ByteBuffer.wrap(pattern()));
                            }
                            if (published.get() == CHUNKS && !cancelled) {
                                cancelled = true;
                                subscriber.onComplete();
                            }
                        } finally {
                            emitting.set(false);
                        }
                        if (demand.get() == 0 || published.get() == CHUNKS) {
                            return;
                        }
                    }
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
        }
    }
}

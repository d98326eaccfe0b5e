package dev.jgql.transport.sse;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.Futures;
import dev.jgql.internal.TransportFailures;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.HttpResponses;
import dev.jgql.transport.support.SseEventParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One operation's event stream: the POST, the response (an event stream, or a plain HTTP answer
 * classified as GraphQL over HTTP), the events parsed as they arrive, and the idle watch. Exactly
 * one terminal signal reaches the {@link Sink}; after it, everything else is dropped.
 */
final class SseStream {
    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

    /** Where the stream's results go; called serially, never after a terminal signal. */
    interface Sink {
        /** The stream opened (status and headers of the event-stream response). */
        default void opened(int status, HttpHeaders headers) {
        }

        /** A {@code next} event's payload. */
        void next(Map<String, Object> payload);

        /** A whole (non-stream) response that is a GraphQL result. Terminal. */
        void whole(ExecutionResult result);

        /** The {@code complete} event. Terminal. */
        void complete();

        /** The stream failed. Terminal. */
        void failed(RuntimeException failure);
    }

    private final SseConnection connection;
    private final GraphQLCall call;
    private final Sink sink;
    private final Duration idleTimeout;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile CompletableFuture<HttpEngineResponse> exchange;
    private volatile Flow.Subscription body;
    private volatile ScheduledFuture<?> idleCheck;
    /**
     * When a byte of the body last arrived (or the request left), in the context clock's
     * milliseconds. The response's headers do not count: the idle limit covers the wait for the
     * first event or comment too.
     */
    private volatile long lastActivity;

    SseStream(SseConnection connection, GraphQLCall call, Duration idleTimeout, Sink sink) {
        this.connection = connection;
        this.call = call;
        this.sink = sink;
        this.idleTimeout = idleTimeout;
    }

    void start() {
        HttpEngineRequest request;
        try {
            request = connection.buildPost(call);
        } catch (RuntimeException e) {
            finish(e instanceof TransportException transportException ? transportException
                    : new TransportException("Could not build the HTTP request for " + call.request() + ": "
                            + e.getMessage(), e));
            return;
        }
        lastActivity = connection.now();
        scheduleIdleCheck(idleTimeout);
        CompletableFuture<HttpEngineResponse> sent = connection.engine().execute(request);
        exchange = sent;
        if (finished.get()) {
            sent.cancel(true);
        }
        sent.whenComplete((response, failure) -> {
            if (failure != null) {
                finish(connection.asTransportException(Futures.unwrap(failure)));
            } else {
                onResponse(response);
            }
        });
    }

    private void onResponse(HttpEngineResponse response) {
        if (!response.isStreamed()) {
            try {
                ExecutionResult result = connection.responses().classify(response.statusCode(), response.headers(),
                        response.body().orElse(null));
                if (finished.compareAndSet(false, true)) {
                    cancelIdleCheck();
                    sink.whole(result);
                }
            } catch (TransportException e) {
                finish(e);
            }
            return;
        }
        if (finished.get()) {
            response.discard(); // cancelled while the headers were on their way: close the stream
            return;
        }
        sink.opened(response.statusCode(), response.headers());
        response.bodyStream().orElseThrow().subscribe(new Events());
    }

    /** Reads the body chunk by chunk (one at a time: the parser is the only buffer). */
    private final class Events implements Flow.Subscriber<List<ByteBuffer>>, SseEventParser.Listener {
        private final SseEventParser parser = new SseEventParser(this, connection.maxMessageSize());
        private boolean completed;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            body = subscription;
            if (finished.get()) {
                subscription.cancel();
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            lastActivity = connection.now();
            try {
                for (ByteBuffer chunk : chunks) {
                    parser.feed(chunk);
                }
            } catch (TransportException e) {
                finish(e);
                return;
            }
            Flow.Subscription current = body;
            if (current != null && (!finished.get() || completed)) {
                current.request(1); // after complete, read on to the end so the connection can be reused
            }
        }

        @Override
        public void onError(Throwable failure) {
            finish(new TransportConnectionFailedException("The event stream from " + connection.where()
                    + " broke before its 'complete' event (" + TransportFailures.describe(failure)
                    + "); the request may have reached the server", true, failure));
        }

        @Override
        public void onComplete() {
            cancelIdleCheck();
            finish(new TransportConnectionFailedException("The event stream from " + connection.where()
                    + " ended before its 'complete' event" + (parser.hasPartialEvent() ? ", in the middle of an event" : "")
                    + "; the request may have reached the server", true, null));
        }

        @Override
        public void onEvent(String event, String data) {
            if (finished.get()) {
                return;
            }
            switch (event) {
                case "next" -> {
                    Map<String, Object> payload;
                    try {
                        payload = GraphQLJson.readObject(connection.objectMapper(), data,
                                "A 'next' event from " + connection.where());
                    } catch (TransportProtocolException e) {
                        finish(new TransportProtocolException(e.getMessage() + "; the stream was abandoned", e));
                        return;
                    }
                    try {
                        sink.next(payload);
                    } catch (TransportException e) {
                        finish(e);
                    }
                }
                case "complete" -> {
                    if (finished.compareAndSet(false, true)) {
                        completed = true;
                        sink.complete();
                    }
                }
                default -> LOG.debug("Ignoring an event '{}' from {}", event, connection.where());
            }
        }
    }

    /** Ends the stream with a failure (if nothing ended it yet) and releases its exchange. */
    void finish(RuntimeException failure) {
        if (finished.compareAndSet(false, true)) {
            release();
            sink.failed(failure);
        }
    }

    /** The subscriber or the connection gave up on the stream: release it, signal nothing. */
    void cancel() {
        if (finished.compareAndSet(false, true)) {
            release();
        }
    }

    boolean isFinished() {
        return finished.get();
    }

    private void release() {
        cancelIdleCheck();
        Flow.Subscription current = body;
        if (current != null) {
            current.cancel();
        }
        CompletableFuture<HttpEngineResponse> sent = exchange;
        if (sent != null) {
            sent.cancel(true);
        }
    }

    private void scheduleIdleCheck(Duration delay) {
        if (idleTimeout.isZero()) {
            return;
        }
        try {
            idleCheck = connection.scheduler().schedule(this::checkIdle, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the client is closing: its close ends this stream
        }
    }

    private void cancelIdleCheck() {
        ScheduledFuture<?> check = idleCheck;
        if (check != null) {
            check.cancel(false);
        }
    }

    private void checkIdle() {
        long silent = connection.now() - lastActivity;
        if (finished.get()) {
            if (silent >= idleTimeout.toMillis()) {
                release(); // completed, but the server keeps the response open: stop reading it
            } else {
                scheduleIdleCheck(Duration.ofMillis(idleTimeout.toMillis() - silent));
            }
            return;
        }
        if (silent < idleTimeout.toMillis()) {
            scheduleIdleCheck(Duration.ofMillis(idleTimeout.toMillis() - silent));
            return;
        }
        finish(new TransportConnectionFailedException("No event and no keep-alive from " + connection.where() + " for "
                + silent + " ms (idleTimeout " + idleTimeout.toMillis() + " ms): the stream is treated as a dead link; "
                + "the request may have reached the server", true, null));
    }
}

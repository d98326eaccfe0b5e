package dev.jgql.transport.sse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.SubscriptionBufferOverflowException;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.internal.Checks;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.HttpResponses;
import dev.jgql.transport.support.IncrementalMerge;
import dev.jgql.transport.support.StreamSubscription;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The distinct-connections mode of graphql-sse on one {@link HttpEngine}: every operation is its
 * own streaming POST. Like HTTP it has no link of its own: it never breaks by itself, each stream
 * succeeds or fails on its own, and only {@link #close()} ends it.
 */
final class SseConnection implements TransportConnection {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static final String EVENT_STREAM = "text/event-stream";

    private final SseTransport transport;
    private final TransportContext context;
    private final HttpEngine engine;
    private final HttpResponses responses;
    private final HttpHeaders fixedHeaders;
    /** Delivers results to futures and subscribers, never on the engine's reader thread. */
    private final ExecutorService executor;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();

    SseConnection(SseTransport transport, TransportContext context) {
        this.transport = transport;
        this.context = context;
        this.responses = new HttpResponses(context.objectMapper(), context.clock(), transport.redactedUri);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        // Exactly this value: graphql-sse compares the Accept header to it as a string.
        headers.put("Accept", List.of(EVENT_STREAM));
        headers.put("Content-Type", List.of("application/json"));
        transport.headers.forEach((name, value) -> headers.put(name, List.of(value)));
        this.fixedHeaders = HttpHeaders.of(headers, (name, value) -> true);
        this.executor = Executors.newCachedThreadPool(Checks.daemonThreads("jgql-sse-" + CONNECTIONS.incrementAndGet()));
        try {
            this.engine = transport.engine.newHttpEngine(transport.engineSettings);
        } catch (RuntimeException e) {
            executor.shutdown();
            throw e;
        }
    }

    // ------------------------------------------------------------------ what streams use

    HttpEngine engine() {
        return engine;
    }

    HttpResponses responses() {
        return responses;
    }

    ObjectMapper objectMapper() {
        return context.objectMapper();
    }

    ScheduledExecutorService scheduler() {
        return context.scheduler();
    }

    long now() {
        return context.clock().millis();
    }

    String where() {
        return transport.redactedUri;
    }

    int maxMessageSize() {
        return transport.maxMessageSize;
    }

    HttpEngineRequest buildPost(GraphQLCall call) {
        byte[] body = GraphQLJson.writeRequest(context.objectMapper(), call.request());
        HttpEngineRequest.Builder builder = HttpEngineRequest.post(transport.uri, HttpEngineRequest.Body.ofBytes(body));
        Map<String, String> dynamic = transport.headerSupplier.apply(call.request());
        Map<String, String> perCall = call.options().headers();
        if ((dynamic == null || dynamic.isEmpty()) && perCall.isEmpty()) {
            builder.headers(fixedHeaders);
        } else {
            Map<String, List<String>> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            merged.putAll(fixedHeaders.map());
            if (dynamic != null) {
                dynamic.forEach((name, value) -> merged.put(name, List.of(value)));
            }
            perCall.forEach((name, value) -> merged.put(name, List.of(value)));
            merged.put("Accept", List.of(EVENT_STREAM));
            builder.headers(HttpHeaders.of(merged, (name, value) -> true));
        }
        return builder
                .responseMode((status, headers) -> status >= 200 && status < 300
                        && HttpResponses.mediaType(headers).equals(EVENT_STREAM))
                .maxResponseSize(transport.maxMessageSize)
                .build();
    }

    RuntimeException asTransportException(Throwable failure) {
        if (!(failure instanceof JgqlException || failure instanceof CancellationException) && !open.get()) {
            return closedInFlight();
        }
        return responses.asTransportException(failure, transport.engineSettings.connectTimeout(), null);
    }

    // ------------------------------------------------------------------ operations

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
        return execute(GraphQLCall.of(request));
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLCall call) {
        Objects.requireNonNull(call, "call");
        return single(call, transport.idleTimeout);
    }

    /** One result: the merged data once the last payload arrived (the stream may go on to its {@code complete}). */
    private CompletableFuture<ExecutionResult> single(GraphQLCall call, Duration idleTimeout) {
        if (!open.get()) {
            return CompletableFuture.failedFuture(notSentClosed());
        }
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        Single sink = new Single(result);
        SseStream stream = new SseStream(this, call, idleTimeout, sink);
        track(stream);
        result.whenComplete((value, failure) -> {
            streams.remove(stream);
            if (result.isCancelled()) {
                stream.cancel();
            }
        });
        stream.start();
        return result;
    }

    /** Collects one operation's payloads into its result. */
    private final class Single implements SseStream.Sink {
        private final CompletableFuture<ExecutionResult> result;
        private IncrementalMerge merge;
        private int status;
        private HttpHeaders headers;

        Single(CompletableFuture<ExecutionResult> result) {
            this.result = result;
        }

        @Override
        public void opened(int status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
        }

        @Override
        public void next(Map<String, Object> payload) {
            if (merge == null) {
                merge = new IncrementalMerge(builder -> builder.httpStatus(status).headers(headers));
            }
            ExecutionResult soFar = merge.apply(payload, () -> "The stream from " + where());
            if (merge.isFinished()) {
                deliver(soFar, null);
            }
        }

        @Override
        public void whole(ExecutionResult value) {
            deliver(value, null);
        }

        @Override
        public void complete() {
            if (merge == null) {
                deliver(null, new dev.jgql.TransportProtocolException("The stream from " + where()
                        + " completed without a result ('complete' before any 'next')"));
            } else {
                deliver(merge.snapshot(), null); // the server ended the operation: what came is the result
            }
        }

        @Override
        public void failed(RuntimeException failure) {
            deliver(null, failure);
        }

        private void deliver(ExecutionResult value, Throwable failure) {
            if (result.isDone()) {
                return;
            }
            try {
                executor.execute(() -> complete(value, failure));
            } catch (java.util.concurrent.RejectedExecutionException closedNow) {
                complete(value, failure);
            }
        }

        private void complete(ExecutionResult value, Throwable failure) {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
        return subscribe(GraphQLCall.of(request));
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLCall call) {
        Objects.requireNonNull(call, "call");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            StreamSubscription subscription = new StreamSubscription(subscriber, executor, transport.subscriptionBufferSize);
            Events sink = new Events(subscription, call);
            SseStream stream = new SseStream(this, call, transport.idleTimeout, sink);
            sink.stream = stream;
            subscription.open(new StreamSubscription.Owner() {
                @Override
                public void start() {
                    if (!open.get()) {
                        subscription.fail(notSentClosed());
                        return;
                    }
                    track(stream);
                    stream.start();
                }

                @Override
                public void cancel() {
                    stream.cancel();
                    streams.remove(stream);
                }
            });
        };
    }

    /** Feeds a subscriber: one result per event (the merged data so far for incremental payloads). */
    private final class Events implements SseStream.Sink {
        private final StreamSubscription subscription;
        private final GraphQLCall call;
        private SseStream stream;
        private IncrementalMerge merge;

        Events(StreamSubscription subscription, GraphQLCall call) {
            this.subscription = subscription;
            this.call = call;
        }

        @Override
        public void next(Map<String, Object> payload) {
            ExecutionResult event;
            if (merge != null || IncrementalMerge.isIncremental(payload)) {
                if (merge == null) {
                    merge = new IncrementalMerge();
                }
                event = merge.apply(payload, () -> "The stream from " + where());
            } else {
                event = GraphQLJson.toResult(payload, () -> "A 'next' event from " + where()).build();
            }
            if (!subscription.offer(event)) {
                stream.cancel();
                streams.remove(stream);
                subscription.failNow(new SubscriptionBufferOverflowException("The subscriber of " + call.request()
                        + " on " + where() + " did not keep up: " + transport.subscriptionBufferSize
                        + " events waited for its demand (subscriptionBufferSize); the stream was stopped",
                        transport.subscriptionBufferSize));
            }
        }

        @Override
        public void whole(ExecutionResult result) {
            streams.remove(stream);
            if (result.hasErrors()) {
                subscription.fail(new TransportQueryException(result));
            } else {
                subscription.offer(result);
                subscription.complete();
            }
        }

        @Override
        public void complete() {
            streams.remove(stream);
            subscription.complete();
        }

        @Override
        public void failed(RuntimeException failure) {
            streams.remove(stream);
            subscription.fail(failure);
        }
    }

    private void track(SseStream stream) {
        streams.add(stream);
        if (!open.get()) {
            // close() may have swept the set just before this stream joined it
            stream.finish(closedInFlight());
        }
    }

    /**
     * Checks that the server answers again: any GraphQL answer (errors included) counts, and so
     * does a client error other than 408 and 429, which only a server that is up can give.
     */
    CompletableFuture<TransportConnection> reachable(GraphQLRequest probe, Duration timeout) {
        return single(GraphQLCall.of(probe), timeout).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                if (cause instanceof TransportServerException refused) {
                    int status = refused.statusCode();
                    if (status >= 400 && status < 500 && status != 408 && status != 429) {
                        return this;
                    }
                }
                throw failure instanceof java.util.concurrent.CompletionException completion ? completion
                        : new java.util.concurrent.CompletionException(failure);
            }
            return this;
        });
    }

    boolean belongsTo(SseTransport owner) {
        return transport == owner;
    }

    private TransportConnectionFailedException notSentClosed() {
        return new TransportConnectionFailedException("The SSE connection to " + where()
                + " is closed; the request was not sent", false, null);
    }

    private TransportConnectionFailedException closedInFlight() {
        return new TransportConnectionFailedException("The SSE connection to " + where()
                + " was closed by the client while the operation was in flight; it may have been applied", true, null);
    }

    @Override
    public CompletionStage<TransportClosedException> whenClosed() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public CompletableFuture<Void> close() {
        if (!open.compareAndSet(true, false)) {
            return CompletableFuture.completedFuture(null);
        }
        TransportConnectionFailedException inFlight = closedInFlight();
        for (SseStream stream : streams) {
            stream.finish(inFlight);
        }
        streams.clear();
        closed.complete(new TransportClosedException("The SSE connection to " + where() + " was closed by the client"));
        // Final signals already queued on the executor still run; then its threads end.
        executor.shutdown();
        return engine.close();
    }

    @Override
    public String toString() {
        return "SseConnection{" + where() + (open.get() ? "" : ", closed") + '}';
    }
}

package dev.jgql.transport.sse;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.SubscriptionBufferOverflowException;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.Checks;
import dev.jgql.internal.Futures;
import dev.jgql.internal.TransportFailures;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.HttpResponses;
import dev.jgql.transport.support.IncrementalMerge;
import dev.jgql.transport.support.SseEventParser;
import dev.jgql.transport.support.StreamSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single-connection mode of graphql-sse: a reservation ({@code PUT}, answered with a token),
 * one event stream ({@code GET}) that carries the results of every operation, each operation
 * started by a {@code POST} with {@code extensions.operationId} (answered {@code 202}) and stopped
 * by a {@code DELETE}. Unlike the distinct mode this is a real link: when the stream ends, breaks
 * or stays silent past the idle limit, every operation ends with a
 * {@link TransportConnectionFailedException} and the connection is closed; the permanent session
 * then makes a new reservation.
 */
final class SingleConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SingleConnection.class);
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    static final String TOKEN_HEADER = "X-GraphQL-Event-Stream-Token";

    private final SseTransport transport;
    private final TransportContext context;
    private final HttpEngine engine;
    private final HttpResponses responses;
    private final ExecutorService executor;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();
    private final CompletableFuture<TransportConnection> ready = new CompletableFuture<>();
    private volatile String token;
    private volatile Flow.Subscription stream;
    private volatile CompletableFuture<HttpEngineResponse> streamExchange;
    private volatile ScheduledFuture<?> idleCheck;
    private volatile long lastActivity;

    private SingleConnection(SseTransport transport, TransportContext context) {
        this.transport = transport;
        this.context = context;
        this.responses = new HttpResponses(context.objectMapper(), context.clock(), transport.redactedUri);
        this.executor = Executors.newCachedThreadPool(Checks.daemonThreads("jgql-sse-single-" + CONNECTIONS.incrementAndGet()));
        try {
            this.engine = transport.engine.newHttpEngine(transport.engineSettings);
        } catch (RuntimeException e) {
            executor.shutdown();
            throw e;
        }
    }

    /** Reserves a stream and opens it; completes when the event stream has opened. */
    static CompletableFuture<TransportConnection> open(SseTransport transport, TransportContext context) {
        SingleConnection connection = new SingleConnection(transport, context);
        connection.reserve();
        return connection.ready.whenComplete((value, failure) -> {
            if (failure != null) {
                connection.close();
            }
        });
    }

    private String where() {
        return transport.redactedUri;
    }

    private HttpEngineRequest.Builder withHeaders(HttpEngineRequest.Builder builder, GraphQLRequest request,
            Map<String, String> perCall, String accept, boolean json) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        transport.headers.forEach((name, value) -> headers.put(name, List.of(value)));
        Map<String, String> dynamic = transport.headerSupplier.apply(request);
        if (dynamic != null) {
            dynamic.forEach((name, value) -> headers.put(name, List.of(value)));
        }
        perCall.forEach((name, value) -> headers.put(name, List.of(value)));
        headers.put("Accept", List.of(accept));
        if (json) {
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        }
        if (token != null) {
            headers.put(TOKEN_HEADER, List.of(token));
        }
        return builder.headers(HttpHeaders.of(headers, (name, value) -> true)).maxResponseSize(transport.maxMessageSize);
    }

    // ------------------------------------------------------------------ the link

    private void reserve() {
        HttpEngineRequest put = withHeaders(HttpEngineRequest.of("PUT", transport.uri, null), null, Map.of(), "*/*", false)
                .timeout(transport.engineSettings.connectTimeout().plusSeconds(5)).build();
        engine.execute(put).whenComplete((response, failure) -> {
            if (failure != null) {
                fail(connectFailure(Futures.unwrap(failure)));
                return;
            }
            String body = new String(response.body().orElse(new byte[0]), StandardCharsets.UTF_8).strip();
            if (response.statusCode() != 201 || body.isEmpty()) {
                fail(refused("The reservation (PUT)", response));
                return;
            }
            token = body;
            attach();
        });
    }

    private void attach() {
        HttpEngineRequest get = withHeaders(HttpEngineRequest.get(transport.uri), null, Map.of(), "text/event-stream", false)
                .responseMode((status, headers) -> status == 200
                        && HttpResponses.mediaType(headers).equals("text/event-stream"))
                .build();
        lastActivity = context.clock().millis();
        scheduleIdleCheck(transport.idleTimeout.toMillis());
        CompletableFuture<HttpEngineResponse> exchange = engine.execute(get);
        streamExchange = exchange;
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                fail(connectFailure(Futures.unwrap(failure)));
            } else if (!response.isStreamed()) {
                fail(refused("The event stream (GET)", response));
            } else {
                response.bodyStream().orElseThrow().subscribe(new Events());
                ready.complete(this);
            }
        });
    }

    private TransportException connectFailure(Throwable failure) {
        RuntimeException mapped = responses.asTransportException(failure, transport.engineSettings.connectTimeout(), null);
        if (mapped instanceof TransportException transportException) {
            return transportException;
        }
        return new TransportConnectionFailedException("Could not open the event stream of " + where() + ": " + mapped,
                false, mapped);
    }

    private TransportException refused(String step, HttpEngineResponse response) {
        try {
            ExecutionResult result = responses.classify(response.statusCode(), response.headers(), response.body().orElse(null));
            return new TransportQueryException(result);
        } catch (TransportException e) {
            return new TransportConnectionFailedException(step + " at " + where() + " was refused: " + e.getMessage(), false, e);
        }
    }

    /** Reads the shared stream and routes its events by operation id. */
    private final class Events implements Flow.Subscriber<List<ByteBuffer>>, SseEventParser.Listener {
        private final SseEventParser parser = new SseEventParser(this, transport.maxMessageSize);

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            stream = subscription;
            if (!open.get()) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            lastActivity = context.clock().millis();
            try {
                for (ByteBuffer chunk : chunks) {
                    parser.feed(chunk);
                }
            } catch (TransportException e) {
                fail(e);
                return;
            }
            if (open.get()) {
                stream.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            fail(new TransportConnectionFailedException("The event stream from " + where() + " broke ("
                    + TransportFailures.describe(failure) + "); operations in flight may have been applied", true, failure));
        }

        @Override
        public void onComplete() {
            fail(new TransportConnectionFailedException("The event stream from " + where()
                    + " ended; operations in flight may have been applied", true, null));
        }

        @Override
        public void onEvent(String event, String data) {
            if (!event.equals("next") && !event.equals("complete")) {
                return;
            }
            Map<String, Object> envelope;
            try {
                envelope = GraphQLJson.readObject(context.objectMapper(), data, "A '" + event + "' event from " + where());
            } catch (TransportProtocolException e) {
                fail(e);
                return;
            }
            Operation operation = operations.get(String.valueOf(envelope.get("id")));
            if (operation == null) {
                LOG.debug("Ignoring a '{}' event for an operation no longer here ({})", event, envelope.get("id"));
                return;
            }
            if (event.equals("complete")) {
                operation.complete();
            } else if (envelope.get("payload") instanceof Map<?, ?> payload) {
                @SuppressWarnings("unchecked")
                Map<String, Object> result = (Map<String, Object>) payload;
                try {
                    operation.next(result);
                } catch (TransportException e) {
                    operation.fail(e);
                }
            } else {
                fail(new TransportProtocolException("A 'next' event from " + where() + " has no 'payload' object: "
                        + GraphQLJson.excerpt(data.getBytes(StandardCharsets.UTF_8))));
            }
        }
    }

    private void scheduleIdleCheck(long delayMillis) {
        if (transport.idleTimeout.isZero() || !open.get()) {
            return;
        }
        try {
            idleCheck = context.scheduler().schedule(this::checkIdle, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the client is closing, and closes this connection
        }
    }

    private void checkIdle() {
        long silent = context.clock().millis() - lastActivity;
        long limit = transport.idleTimeout.toMillis();
        if (silent < limit) {
            scheduleIdleCheck(limit - silent);
            return;
        }
        fail(new TransportConnectionFailedException("No event and no keep-alive from " + where() + " for " + silent
                + " ms (idleTimeout " + limit + " ms): the event stream is treated as a dead link; operations in flight "
                + "may have been applied", true, null));
    }

    /** The link failed: every operation ends with the failure and the connection closes. */
    private void fail(TransportException failure) {
        if (!ready.isDone()) {
            ready.completeExceptionally(failure);
        }
        TransportClosedException reason = failure instanceof TransportClosedException closedFailure ? closedFailure
                : new TransportConnectionFailedException(failure.getMessage(), true, failure);
        shutdown(reason, failure);
    }

    // ------------------------------------------------------------------ operations

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
        return execute(GraphQLCall.of(request));
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLCall call) {
        Objects.requireNonNull(call, "call");
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        Operation operation = new Operation(call, null, result);
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                stop(operation);
            }
        });
        start(operation);
        return result;
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
        return subscribe(GraphQLCall.of(request));
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLCall call) {
        Objects.requireNonNull(call, "call");
        return subscriber -> {
            StreamSubscription subscription = new StreamSubscription(subscriber, executor, transport.subscriptionBufferSize);
            Operation operation = new Operation(call, subscription, null);
            subscription.open(new StreamSubscription.Owner() {
                @Override
                public void start() {
                    SingleConnection.this.start(operation);
                }

                @Override
                public void cancel() {
                    stop(operation);
                }
            });
        };
    }

    private void start(Operation operation) {
        if (!open.get()) {
            operation.fail(new TransportConnectionFailedException("The SSE connection to " + where()
                    + " is closed; the request was not sent", false, null));
            return;
        }
        operations.put(operation.id, operation);
        GraphQLRequest request = operation.call.request();
        Map<String, Object> extensions = new LinkedHashMap<>(request.extensions());
        extensions.put("operationId", operation.id);
        HttpEngineRequest post;
        try {
            byte[] body = GraphQLJson.writeRequest(context.objectMapper(), request.withExtensions(extensions));
            post = withHeaders(HttpEngineRequest.post(transport.uri, HttpEngineRequest.Body.ofBytes(body)), request,
                    operation.call.options().headers(), "application/json", true).build();
        } catch (RuntimeException e) {
            operation.fail(e instanceof JgqlException ? e : new TransportException("Could not build the request for "
                    + request + ": " + e.getMessage(), e));
            return;
        }
        engine.execute(post).whenComplete((response, failure) -> {
            if (failure != null) {
                operation.fail(responses.asTransportException(Futures.unwrap(failure),
                        transport.engineSettings.connectTimeout(), null));
            } else if (response.statusCode() == 204) {
                operation.complete(); // cancelled while the server prepared it
            } else if (response.statusCode() != 202) {
                try {
                    ExecutionResult result = responses.classify(response.statusCode(), response.headers(),
                            response.body().orElse(null));
                    operation.refused(result);
                } catch (RuntimeException e) {
                    operation.fail(e);
                }
            }
        });
    }

    private void stop(Operation operation) {
        if (operations.remove(operation.id) == null || !open.get()) {
            return;
        }
        URI delete = URI.create(transport.uri + (transport.uri.getRawQuery() == null ? "?" : "&") + "operationId="
                + URLEncoder.encode(operation.id, StandardCharsets.UTF_8));
        engine.execute(withHeaders(HttpEngineRequest.of("DELETE", delete, null), operation.call.request(), Map.of(),
                "*/*", false).build()).whenComplete((response, failure) -> {
                    if (failure != null) {
                        LOG.debug("Stopping operation {} on {} failed: {}", operation.id, where(), failure.toString());
                    }
                });
    }

    /** One operation on the shared stream: a future (execute) or a subscription. */
    private final class Operation {
        final String id = UUID.randomUUID().toString();
        final GraphQLCall call;
        final StreamSubscription subscription;
        final CompletableFuture<ExecutionResult> result;
        private IncrementalMerge merge;

        Operation(GraphQLCall call, StreamSubscription subscription, CompletableFuture<ExecutionResult> result) {
            this.call = call;
            this.subscription = subscription;
            this.result = result;
        }

        void next(Map<String, Object> payload) {
            ExecutionResult event;
            if (merge != null || result != null || IncrementalMerge.isIncremental(payload)) {
                if (merge == null) {
                    merge = new IncrementalMerge();
                }
                event = merge.apply(payload, () -> "A result on the event stream of " + where());
            } else {
                event = GraphQLJson.toResult(payload, () -> "A result on the event stream of " + where()).build();
            }
            if (result != null) {
                if (merge.isFinished()) {
                    deliver(event, null);
                }
            } else if (!subscription.offer(event)) {
                stop(this);
                subscription.failNow(new SubscriptionBufferOverflowException("The subscriber of " + call.request()
                        + " on " + where() + " did not keep up: " + transport.subscriptionBufferSize
                        + " events waited for its demand (subscriptionBufferSize); the operation was stopped",
                        transport.subscriptionBufferSize));
            }
        }

        void complete() {
            operations.remove(id);
            if (result != null) {
                if (merge == null) {
                    deliver(null, new TransportProtocolException("The operation " + call.request() + " on " + where()
                            + " completed without a result"));
                } else {
                    deliver(merge.snapshot(), null);
                }
            } else {
                subscription.complete();
            }
        }

        /** The server refused to start it (400 with errors for validation, 404 for an unknown stream, …). */
        void refused(ExecutionResult answer) {
            operations.remove(id);
            if (result != null) {
                deliver(answer, null);
            } else {
                subscription.fail(answer.hasErrors() ? new TransportQueryException(answer)
                        : new TransportProtocolException("The server did not accept " + call.request() + " (HTTP "
                                + answer.httpStatus().orElse(0) + ") and gave no errors"));
            }
        }

        void fail(Throwable failure) {
            operations.remove(id);
            if (result != null) {
                deliver(null, failure);
            } else {
                subscription.fail(failure);
            }
        }

        private void deliver(ExecutionResult value, Throwable failure) {
            Runnable completion = () -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            };
            try {
                executor.execute(completion);
            } catch (RejectedExecutionException closedNow) {
                completion.run();
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

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
        TransportClosedException byClient = new TransportClosedException("The SSE connection to " + where()
                + " was closed by the client");
        if (!ready.isDone()) {
            ready.completeExceptionally(byClient);
        }
        return shutdown(byClient, new TransportConnectionFailedException("The SSE connection to " + where()
                + " was closed by the client while the operation was in flight; it may have been applied", true, null));
    }

    private CompletableFuture<Void> shutdown(TransportClosedException reason, Throwable forOperations) {
        if (!open.compareAndSet(true, false)) {
            return CompletableFuture.completedFuture(null);
        }
        ScheduledFuture<?> check = idleCheck;
        if (check != null) {
            check.cancel(false);
        }
        for (Operation operation : List.copyOf(operations.values())) {
            operation.fail(forOperations);
        }
        operations.clear();
        Flow.Subscription current = stream;
        if (current != null) {
            current.cancel(); // closing the stream disposes the reservation on the server
        }
        CompletableFuture<HttpEngineResponse> exchange = streamExchange;
        if (exchange != null) {
            exchange.cancel(true);
        }
        closed.complete(reason);
        executor.shutdown();
        return engine.close();
    }

    @Override
    public String toString() {
        return "SseConnection{single, " + where() + (open.get() ? "" : ", closed") + '}';
    }
}

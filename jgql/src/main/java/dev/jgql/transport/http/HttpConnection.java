package dev.jgql.transport.http;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.JgqlUsageException;
import dev.jgql.OperationType;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportServerException;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.CallAttributes;
import dev.jgql.internal.FailedPublisher;
import dev.jgql.internal.Futures;
import dev.jgql.internal.UploadParts;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.HttpResponses;
import dev.jgql.transport.support.IncrementalMerge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP "link": an {@link HttpEngine} with its pool and threads, and the GraphQL-over-HTTP
 * rules on top of it (request shape, GET/POST fallback, response classification, Retry-After,
 * whether a failed request may have been sent). It never breaks by itself; each request succeeds
 * or fails on its own, and only {@link #close()} ends it.
 */
final class HttpConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    static final String ACCEPT = "application/graphql-response+json, application/json;q=0.9";
    /** Streams a successful multipart answer; reads anything else whole. */
    private static final HttpEngineRequest.ResponseMode MULTIPART = (status, headers) -> status >= 200 && status < 300
            && HttpResponses.mediaType(headers).equals("multipart/mixed");
    private static final Duration DISCARD_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final HttpTransport transport;
    private final TransportContext context;
    private final HttpEngine engine;
    private final HttpResponses responses;
    /** Delivers the events of streams over HTTP; threads only once a stream is opened. */
    private final StreamExecutor streamExecutor = new StreamExecutor();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();
    /** When pooled connections were last discarded (nanoTime), so that a burst of timeouts discards them once. */
    private final AtomicLong lastDiscard = new AtomicLong(System.nanoTime() - DISCARD_AT_MOST_EVERY.toNanos());
    /** Whether the server answered since the pool was last discarded: the first probe of an outage starts afresh. */
    private volatile boolean answeredSinceDiscard = true;

    HttpConnection(HttpTransport transport, TransportContext context) {
        this.transport = transport;
        this.context = context;
        this.engine = transport.engine.newHttpEngine(transport.engineSettings);
        this.responses = new HttpResponses(context.objectMapper(), context.clock(), transport.redactedUri);
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
        return execute(GraphQLCall.of(request));
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLCall call) {
        if (!open.get()) {
            return CompletableFuture.failedFuture(notSentClosed());
        }
        List<GraphQLCall> batch = CallAttributes.batch(call);
        if (batch != null) {
            CompletableFuture<ExecutionResult> answer = HttpBatch.send(this, call, batch);
            track(answer);
            return answer;
        }
        UploadParts uploads = call.attribute(CallAttributes.UPLOADS, UploadParts.class).orElse(null);
        if (uploads != null) {
            CompletableFuture<ExecutionResult> answer = HttpUpload.send(this, call, uploads);
            track(answer);
            return answer;
        }
        boolean get = (transport.getForQueries || CallAttributes.httpGet(call))
                && call.request().operationType() == OperationType.QUERY
                && !incremental(call.request());
        Exchange result = new Exchange();
        pending.add(result);
        send(call, get, result);
        result.whenComplete((value, failure) -> pending.remove(result));
        if (!open.get()) {
            // close() may have swept the pending set just before this request joined it
            result.completeExceptionally(closedInFlight());
        }
        return result;
    }

    /**
     * The future of one execute; cancelling it cancels the exchange on the engine (one object
     * rather than a dependent stage per call, on the hot path).
     */
    private static final class Exchange extends CompletableFuture<ExecutionResult> {
        private volatile CompletableFuture<HttpEngineResponse> onWire;

        void sending(CompletableFuture<HttpEngineResponse> exchange) {
            onWire = exchange;
            if (isCancelled()) {
                exchange.cancel(true);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            abandonWire();
            return cancelled;
        }

        private void abandonWire() {
            CompletableFuture<HttpEngineResponse> exchange = onWire;
            if (exchange != null && !exchange.isDone()) {
                exchange.cancel(true);
            }
        }
    }

    private void send(GraphQLCall call, boolean get, Exchange result) {
        GraphQLRequest request = call.request();
        HttpEngineRequest engineRequest;
        try {
            engineRequest = get ? buildGet(call) : buildPost(call, null);
        } catch (RuntimeException e) {
            result.completeExceptionally(e instanceof JgqlException ? e
                    : new TransportException("Could not build the HTTP request for " + request + ": " + e.getMessage(), e));
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(">>> {} {} {}", engineRequest.method(), transport.redactedUri, request);
        }
        CompletableFuture<HttpEngineResponse> exchange = engine.execute(engineRequest);
        result.sending(exchange);
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                result.completeExceptionally(asTransportException(Futures.unwrap(failure)));
                return;
            }
            if (response.isStreamed()) {
                mergeParts(response, result);
                return;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("<<< {} {} for {}", response.statusCode(), HttpResponses.mediaType(response.headers()), request);
            }
            if (get && (response.statusCode() == 405 || response.statusCode() == 414)) {
                // The server does not take GET (or not this long a URL): the spec says to use POST.
                send(call, false, result);
                return;
            }
            try {
                result.complete(classify(response));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * A POST of the call; with {@code timeout}, bounded by it on the engine (the probe). A document
     * using {@code @defer}/{@code @stream} asks for, and streams, a {@code multipart/mixed} answer.
     */
    private HttpEngineRequest buildPost(GraphQLCall call, Duration timeout) {
        boolean incremental = incremental(call.request());
        return buildPost(call, timeout, incremental ? transport.incrementalHeaders : transport.postHeaders, incremental);
    }

    private HttpEngineRequest buildPost(GraphQLCall call, Duration timeout, HttpHeaders fixed, boolean multipart) {
        byte[] body = GraphQLJson.writeRequest(context.objectMapper(), call.request(), CallAttributes.withDocument(call));
        HttpEngineRequest.Builder builder = withCommon(HttpEngineRequest.post(transport.uri,
                HttpEngineRequest.Body.ofBytes(body)), fixed, call);
        if (timeout != null) {
            builder.timeout(timeout);
        }
        if (multipart) {
            builder.responseMode(MULTIPART);
        }
        return builder.build();
    }

    /** Whether a document may be answered incrementally; a false positive (in a string) only changes Accept. */
    private static boolean incremental(GraphQLRequest request) {
        String document = request.document();
        return document.contains("@defer") || document.contains("@stream");
    }

    /** Merges the parts of an incremental answer; the call's result is the data once the last part arrived. */
    private void mergeParts(HttpEngineResponse response, Exchange result) {
        IncrementalMerge merge = new IncrementalMerge(builder -> builder.httpStatus(response.statusCode())
                .headers(response.headers()));
        MultipartReader reader = MultipartReader.read(response, transport.redactedUri, context.objectMapper(),
                maxPartSize(), new MultipartReader.Sink() {
                    @Override
                    public void part(Map<String, Object> json) {
                        ExecutionResult soFar = merge.apply(json, () -> "The multipart response from " + transport.redactedUri);
                        if (merge.isFinished()) {
                            result.complete(soFar); // the closing delimiter may follow; nothing more is needed
                        }
                    }

                    @Override
                    public void end(boolean closed) {
                        if (merge.isEmpty()) {
                            result.completeExceptionally(new TransportProtocolException("The multipart response from "
                                    + transport.redactedUri + " has no part"));
                        } else if (closed) {
                            result.complete(merge.snapshot());
                        } else {
                            result.completeExceptionally(new TransportConnectionFailedException("The multipart response from "
                                    + transport.redactedUri + " ended before its last part (hasNext: false) and without its "
                                    + "closing delimiter; the request may have reached the server", true, null));
                        }
                    }

                    @Override
                    public void failed(RuntimeException failure) {
                        result.completeExceptionally(failure);
                    }
                });
        if (reader != null) {
            result.whenComplete((value, failure) -> {
                if (failure != null) {
                    reader.stop(); // cancelled, timed out or closed: nobody reads on, so close the stream
                }
            });
        }
    }

    private int maxPartSize() {
        return (int) Math.min(Integer.MAX_VALUE - 1024, transport.maxResponseSize);
    }

    private HttpEngineRequest buildGet(GraphQLCall call) {
        GraphQLRequest request = call.request();
        StringBuilder query = new StringBuilder(transport.uri.getRawQuery() == null ? "" : transport.uri.getRawQuery());
        if (CallAttributes.withDocument(call)) {
            appendParameter(query, "query", request.document());
        }
        if (request.operationName().isPresent()) {
            appendParameter(query, "operationName", request.operationName().get());
        }
        if (!request.variables().isEmpty()) {
            appendParameter(query, "variables", json(request.variables()));
        }
        if (!request.extensions().isEmpty()) {
            appendParameter(query, "extensions", json(request.extensions()));
        }
        String base = transport.uri.toString();
        int queryStart = base.indexOf('?');
        URI uri = URI.create((queryStart < 0 ? base : base.substring(0, queryStart)) + "?" + query);
        return withCommon(HttpEngineRequest.get(uri), transport.getHeaders, call).build();
    }

    private String json(Object value) {
        try {
            return context.objectMapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new TransportException("Could not serialise variables or extensions to JSON: " + e.getMessage(), e);
        }
    }

    private static void appendParameter(StringBuilder query, String name, String value) {
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /**
     * The headers computed once by the transport, those of the header supplier over them, and the
     * call's own over those.
     */
    private HttpEngineRequest.Builder withCommon(HttpEngineRequest.Builder builder, HttpHeaders fixed, GraphQLCall call) {
        Map<String, String> dynamic = transport.headerSupplier.apply(call.request());
        Map<String, String> perCall = call.options().headers();
        if ((dynamic == null || dynamic.isEmpty()) && perCall.isEmpty()) {
            builder.headers(fixed);
        } else {
            Map<String, List<String>> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            merged.putAll(fixed.map());
            if (dynamic != null) {
                dynamic.forEach((name, value) -> merged.put(name, List.of(value)));
            }
            perCall.forEach((name, value) -> merged.put(name, List.of(value)));
            builder.headers(HttpHeaders.of(merged, (name, value) -> true));
        }
        if (transport.requestTimeout != null) {
            builder.timeout(transport.requestTimeout);
        }
        return builder.maxResponseSize(transport.maxResponseSize);
    }

    /** Classifies a response as the GraphQL over HTTP specification says (see the transport's Javadoc). */
    private ExecutionResult classify(HttpEngineResponse response) {
        return responses.classify(response.statusCode(), response.headers(), response.body().orElse(null));
    }

    private RuntimeException asTransportException(Throwable failure) {
        if (!(failure instanceof JgqlException || failure instanceof CancellationException) && !open.get()) {
            return closedInFlight();
        }
        return responses.asTransportException(failure, transport.engineSettings.connectTimeout(), transport.requestTimeout);
    }

    private TransportClosedException closedByClient() {
        return new TransportClosedException("The HTTP connection to " + transport.redactedUri + " was closed by the client");
    }

    private TransportConnectionFailedException notSentClosed() {
        return new TransportConnectionFailedException("The HTTP connection to " + transport.redactedUri
                + " is closed; the request was not sent", false, null);
    }

    private TransportConnectionFailedException closedInFlight() {
        return new TransportConnectionFailedException("The HTTP connection to " + transport.redactedUri
                + " was closed by the client while the request was in flight; it may have been applied", true, null);
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
        return subscribe(GraphQLCall.of(request));
    }

    /**
     * A stream over HTTP: a subscription as Apollo's multipart subscription (when
     * {@link HttpTransport.Builder#multipartSubscriptions} is on), a query or mutation as its
     * results, one per part for {@code @defer}/{@code @stream} (the merged data so far).
     */
    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLCall call) {
        GraphQLRequest request = call.request();
        boolean subscription = request.operationType() == OperationType.SUBSCRIPTION;
        if (subscription && !transport.multipartSubscriptions) {
            return FailedPublisher.of(new JgqlUsageException("The HTTP transport cannot carry subscriptions: use a "
                    + "WebSocketTransport or an SseTransport, or give the client one with Client.Builder.subscriptionTransport "
                    + "(or turn on HttpTransport.Builder.multipartSubscriptions for Apollo Router's multipart protocol), for "
                    + request));
        }
        return subscriber -> new HttpStream(this, call, subscription, subscriber).open();
    }

    // what HttpStream needs of its connection

    HttpEngine engine() {
        return engine;
    }

    boolean isClosedNow() {
        return !open.get();
    }

    java.util.concurrent.Executor streamExecutor() {
        return streamExecutor.get();
    }

    HttpEngineRequest streamRequest(GraphQLCall call, boolean subscription) {
        if (subscription) {
            return buildPost(call, null, transport.subscriptionHeaders, true);
        }
        return buildPost(call, null);
    }

    /** A POST of this body (a batch, a multipart upload) with the call's headers and these fixed ones. */
    HttpEngineRequest post(GraphQLCall call, HttpEngineRequest.Body body, HttpHeaders fixed) {
        return withCommon(HttpEngineRequest.post(transport.uri, body), fixed, call).build();
    }

    HttpHeaders postHeaders() {
        return transport.postHeaders;
    }

    ExecutionResult classifyWhole(HttpEngineResponse response) {
        return classify(response);
    }

    RuntimeException failureOf(Throwable failure) {
        return asTransportException(failure);
    }

    String where() {
        return transport.redactedUri;
    }

    com.fasterxml.jackson.databind.ObjectMapper objectMapper() {
        return context.objectMapper();
    }

    int partLimit() {
        return maxPartSize();
    }

    void track(CompletableFuture<?> stream) {
        pending.add(stream);
        stream.whenComplete((value, failure) -> pending.remove(stream));
        if (!open.get()) {
            stream.completeExceptionally(closedInFlight());
        }
    }

    TransportConnectionFailedException notSent() {
        return notSentClosed();
    }

    /** An execute timed out: the pooled connections may be dead (a half-open outage); open new ones from now on. */
    @Override
    public void timedOut(GraphQLCall call) {
        discardPooledConnections();
    }

    /** Discards the engine's pooled connections, at most once a second however many calls time out together. */
    private void discardPooledConnections() {
        long now = System.nanoTime();
        long last = lastDiscard.get();
        if (now - last >= DISCARD_AT_MOST_EVERY.toNanos() && lastDiscard.compareAndSet(last, now)) {
            LOG.debug("Discarding the pooled connections to {}", transport.redactedUri);
            answeredSinceDiscard = false;
            engine.discardPooledConnections();
        }
    }

    /**
     * Checks that the server answers again (on fresh connections, the first time after it stopped
     * answering): any GraphQL answer (errors
     * included) counts, and so does a client error other than 408 and 429, which only a server
     * that is up can give. Completes with this connection, or fails with why the probe did not
     * get through.
     */
    CompletableFuture<TransportConnection> reachable(GraphQLRequest probe, Duration timeout) {
        if (answeredSinceDiscard) {
            discardPooledConnections(); // the first probe of an outage: what is pooled may be dead
        }
        HttpEngineRequest request;
        try {
            request = buildPost(GraphQLCall.of(probe), timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return engine.execute(request).handle((response, failure) -> {
            if (failure != null) {
                throw Futures.asCompletionException(asTransportException(Futures.unwrap(failure)));
            }
            try {
                classify(response);
            } catch (TransportServerException refused) {
                int status = refused.statusCode();
                if (status < 400 || status >= 500 || status == 408 || status == 429) {
                    throw Futures.asCompletionException(refused);
                }
            }
            answeredSinceDiscard = true;
            return this;
        });
    }

    /** Whether this connection was opened by that transport (so it can be probed and reused). */
    boolean belongsTo(HttpTransport owner) {
        return transport == owner;
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
        for (CompletableFuture<?> request : pending) {
            request.completeExceptionally(inFlight);
        }
        closed.complete(closedByClient());
        streamExecutor.shutdown();
        return engine.close();
    }
}

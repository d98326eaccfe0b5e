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
import dev.jgql.engine.ResponseTooLargeException;
import dev.jgql.internal.FailedPublisher;
import dev.jgql.internal.Futures;
import dev.jgql.internal.TransportFailures;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
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
import java.util.function.Supplier;

/**
 * One HTTP "link": an {@link HttpEngine} with its pool and threads, and the GraphQL-over-HTTP
 * rules on top of it (request shape, GET/POST fallback, response classification, Retry-After,
 * whether a failed request may have been sent). It never breaks by itself; each request succeeds
 * or fails on its own, and only {@link #close()} ends it.
 */
final class HttpConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    static final String ACCEPT = "application/graphql-response+json, application/json;q=0.9";
    private static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    private static final Duration DISCARD_AT_MOST_EVERY = Duration.ofSeconds(1);
    private static final byte[] NO_BODY = new byte[0];

    private final HttpTransport transport;
    private final TransportContext context;
    private final HttpEngine engine;
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
        boolean get = transport.getForQueries && call.request().operationType() == OperationType.QUERY;
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
            CompletableFuture<HttpEngineResponse> exchange = onWire;
            if (exchange != null) {
                exchange.cancel(true);
            }
            return cancelled;
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
            if (LOG.isDebugEnabled()) {
                LOG.debug("<<< {} {} for {}", response.statusCode(), mediaType(response.headers()), request);
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

    /** A POST of the call; with {@code timeout}, bounded by it on the engine (the probe). */
    private HttpEngineRequest buildPost(GraphQLCall call, Duration timeout) {
        byte[] body = GraphQLJson.writeRequest(context.objectMapper(), call.request());
        HttpEngineRequest.Builder builder = withCommon(HttpEngineRequest.post(transport.uri,
                HttpEngineRequest.Body.ofBytes(body)), transport.postHeaders, call);
        if (timeout != null) {
            builder.timeout(timeout);
        }
        return builder.build();
    }

    private HttpEngineRequest buildGet(GraphQLCall call) {
        GraphQLRequest request = call.request();
        StringBuilder query = new StringBuilder(transport.uri.getRawQuery() == null ? "" : transport.uri.getRawQuery());
        appendParameter(query, "query", request.document());
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
        int status = response.statusCode();
        byte[] body = response.body().orElse(NO_BODY);
        String mediaType = mediaType(response.headers());
        boolean success = status >= 200 && status < 300;
        boolean graphqlResponseType = mediaType.equals(GRAPHQL_RESPONSE_JSON);
        boolean json = graphqlResponseType || mediaType.equals("application/json") || mediaType.endsWith("+json");

        if (body.length == 0) {
            if (success) {
                throw new TransportProtocolException(what(status) + " has an empty body; a GraphQL response was expected");
            }
            throw serverError(status, body, response.headers(), mediaType);
        }
        // A graphql-response+json body is a GraphQL response whatever the status; a 2xx one is too,
        // when labelled JSON or not labelled at all.
        if (graphqlResponseType || success && (json || mediaType.isEmpty())) {
            return toResult(status, body, response.headers());
        }
        if (success) {
            throw new TransportProtocolException(what(status) + " has Content-Type '" + mediaType
                    + "', not a GraphQL JSON response; received: " + GraphQLJson.excerpt(body));
        }
        if (json) {
            // A non-2xx JSON body may be a GraphQL request error, or a proxy's own JSON.
            try {
                ExecutionResult result = toResult(status, body, response.headers());
                if (result.hasErrors()) {
                    return result;
                }
            } catch (TransportProtocolException notGraphQL) {
                // fall through: report the status, which says more than the parse failure
            }
        }
        throw serverError(status, body, response.headers(), mediaType);
    }

    private ExecutionResult toResult(int status, byte[] body, HttpHeaders headers) {
        Supplier<String> what = () -> what(status); // built only for an error message
        Map<String, Object> parsed = GraphQLJson.readObject(context.objectMapper(), body, 0, body.length, what);
        return GraphQLJson.toResult(parsed, what).httpStatus(status).headers(headers).build();
    }

    /** The subject of error messages; only built when one is. */
    private String what(int status) {
        return "The HTTP " + status + " response from " + transport.redactedUri;
    }

    private TransportServerException serverError(int status, byte[] body, HttpHeaders headers, String mediaType) {
        Duration retryAfter = retryAfter(headers);
        StringBuilder message = new StringBuilder("HTTP ").append(status).append(" from ")
                .append(transport.redactedUri).append(", not a GraphQL response");
        if (!mediaType.isEmpty()) {
            message.append(" (").append(mediaType).append(')');
        }
        message.append(": ").append(TransportFailures.statusHint(status, retryAfter)).append(". Body: ")
                .append(GraphQLJson.excerpt(body));
        return new TransportServerException(message.toString(), status, body.length == 0 ? "" : GraphQLJson.excerpt(body),
                retryAfter, headers.map());
    }

    private Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").map(String::trim).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(context.clock().instant(), when);
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String mediaType(HttpHeaders headers) {
        // The map's keys compare case-insensitively; firstValue would go through a stream for the same.
        List<String> values = headers.map().get("Content-Type");
        String contentType = values == null || values.isEmpty() ? "" : values.get(0);
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private RuntimeException asTransportException(Throwable failure) {
        if (failure instanceof JgqlException || failure instanceof CancellationException) {
            return (RuntimeException) failure;
        }
        if (!open.get()) {
            return closedInFlight();
        }
        String where = transport.redactedUri;
        if (failure instanceof IllegalArgumentException invalid) {
            // the engine refused to build the request, e.g. a header it does not let applications set
            return new TransportException("The HTTP request to " + where + " could not be built (" + invalid.getMessage()
                    + "); nothing was sent", invalid);
        }
        ResponseTooLargeException tooLarge = causeOfType(failure, ResponseTooLargeException.class);
        if (tooLarge != null) {
            return new TransportProtocolException("The response from " + where + " is larger than maxResponseSize ("
                    + tooLarge.limit() + " bytes); it was not read and the connection was closed. Raise "
                    + "HttpTransport.Builder.maxResponseSize or ask for less data", failure);
        }
        return switch (TransportFailures.stage(failure)) {
            case CONNECT -> new TransportConnectionFailedException(TransportFailures.connectFailure(failure, where,
                    transport.engineSettings.connectTimeout(), "the request was not sent"), false, failure);
            case TIMEOUT -> new TransportConnectionFailedException("No response from " + where
                    + " within the request timeout of " + transport.requestTimeout.toMillis()
                    + " ms; the request may have been applied", true, failure);
            case EXCHANGE -> new TransportConnectionFailedException("The connection to " + where
                    + " failed during the exchange (" + TransportFailures.describe(failure)
                    + "); the request may have reached the server", true, failure);
        };
    }

    /** Engines may wrap their failures (the JDK's send does, as a cause): look down the causes. */
    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
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
        return FailedPublisher.of(new JgqlUsageException("The HTTP transport cannot carry subscriptions: use a "
                + "WebSocketTransport, or give the client one with Client.Builder.subscriptionTransport, for " + request));
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
        return engine.close();
    }
}

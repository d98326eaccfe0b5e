package dev.jgql.transport.http;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.OperationType;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportServerException;
import dev.jgql.internal.Checks;
import dev.jgql.internal.FailedPublisher;
import dev.jgql.internal.Futures;
import dev.jgql.internal.GraphQLJson;
import dev.jgql.internal.HttpClients;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP "link": an {@link HttpClient} with its pool and threads. It never breaks by itself;
 * each request succeeds or fails on its own, and only {@link #close()} ends it.
 */
final class HttpConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    static final String ACCEPT = "application/graphql-response+json, application/json;q=0.9";
    private static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";

    private final HttpTransport transport;
    private final TransportContext context;
    private final ExecutorService executor;
    private volatile HttpClient client;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();

    HttpConnection(HttpTransport transport, TransportContext context) {
        this.transport = transport;
        this.context = context;
        if (transport.httpClient != null) {
            this.executor = null;
            this.client = transport.httpClient;
        } else {
            this.executor = Executors.newCachedThreadPool(Checks.daemonThreads("jgql-http-" + CONNECTIONS.incrementAndGet()));
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(transport.httpVersion)
                    .connectTimeout(transport.connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor);
            if (transport.sslContext != null) {
                builder.sslContext(transport.sslContext);
            }
            this.client = builder.build();
        }
    }

    @Override
    public boolean needsProbe() {
        return true;
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
        if (!open.get()) {
            return CompletableFuture.failedFuture(notSentClosed());
        }
        boolean get = transport.getForQueries && request.operationType() == OperationType.QUERY;
        CompletableFuture<ExecutionResult> result = send(request, get);
        pending.add(result);
        result.whenComplete((value, failure) -> pending.remove(result));
        if (!open.get()) {
            // close() may have swept the pending set just before this request joined it
            result.completeExceptionally(closedInFlight());
        }
        return result;
    }

    private CompletableFuture<ExecutionResult> send(GraphQLRequest request, boolean get) {
        HttpRequest httpRequest;
        try {
            httpRequest = get ? buildGet(request) : buildPost(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof JgqlException ? e
                    : new TransportException("Could not build the HTTP request for " + request + ": " + e.getMessage(), e));
        }
        HttpClient sender = client;
        if (sender == null) {
            return CompletableFuture.failedFuture(notSentClosed());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(">>> {} {} {}", httpRequest.method(), transport.redactedUri, request);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = sender.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<ExecutionResult> result = exchange.handle((response, failure) -> {
            if (failure != null) {
                throw asTransportException(Futures.unwrap(failure));
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("<<< {} {} for {}", response.statusCode(), mediaType(response), request);
            }
            return response;
        }).thenCompose(response -> {
            if (get && (response.statusCode() == 405 || response.statusCode() == 414)) {
                // The server does not take GET (or not this long a URL): the spec says to use POST.
                return send(request, false);
            }
            return CompletableFuture.completedFuture(classify(response));
        });
        result.whenComplete((value, failure) -> {
            if (result.isCancelled() || failure instanceof CancellationException) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    private HttpRequest buildPost(GraphQLRequest request) {
        byte[] body = GraphQLJson.writeRequest(context.objectMapper(), request);
        HttpRequest.Builder builder = HttpRequest.newBuilder(transport.uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        return withCommonHeaders(builder).build();
    }

    private HttpRequest buildGet(GraphQLRequest request) {
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
        // A CSRF-guarded server (Apollo) refuses a GET without a preflight header; others ignore it.
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().header("Apollo-Require-Preflight", "true");
        return withCommonHeaders(builder).build();
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

    private HttpRequest.Builder withCommonHeaders(HttpRequest.Builder builder) {
        builder.header("Accept", ACCEPT);
        transport.headers.forEach(builder::setHeader);
        Map<String, String> dynamic = transport.headerSupplier.get();
        if (dynamic != null) {
            dynamic.forEach(builder::setHeader);
        }
        if (transport.requestTimeout != null) {
            builder.timeout(transport.requestTimeout);
        }
        return builder;
    }

    /** Classifies a response as the GraphQL over HTTP specification says (see the transport's Javadoc). */
    private ExecutionResult classify(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body() == null ? new byte[0] : response.body();
        String mediaType = mediaType(response);
        Map<String, List<String>> headers = response.headers().map();
        boolean success = status >= 200 && status < 300;
        boolean graphqlResponseType = mediaType.equals(GRAPHQL_RESPONSE_JSON);
        boolean json = graphqlResponseType || mediaType.equals("application/json") || mediaType.endsWith("+json");
        String what = "The HTTP " + status + " response from " + transport.redactedUri;

        if (body.length == 0) {
            if (success) {
                throw new TransportProtocolException(what + " has an empty body; a GraphQL response was expected");
            }
            throw serverError(status, body, headers, mediaType);
        }
        // A graphql-response+json body is a GraphQL response whatever the status; a 2xx one is too,
        // when labelled JSON or not labelled at all.
        if (graphqlResponseType || success && (json || mediaType.isEmpty())) {
            Map<String, Object> parsed = GraphQLJson.readObject(context.objectMapper(), body, what);
            return GraphQLJson.toResult(parsed, what).httpStatus(status).headers(headers).build();
        }
        if (success) {
            throw new TransportProtocolException(what + " has Content-Type '" + mediaType
                    + "', not a GraphQL JSON response; received: " + GraphQLJson.excerpt(body));
        }
        if (json) {
            // A non-2xx JSON body may be a GraphQL request error, or a proxy's own JSON.
            try {
                Map<String, Object> parsed = GraphQLJson.readObject(context.objectMapper(), body, what);
                if (parsed.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
                    return GraphQLJson.toResult(parsed, what).httpStatus(status).headers(headers).build();
                }
            } catch (TransportProtocolException notGraphQL) {
                // fall through: report the status, which says more than the parse failure
            }
        }
        throw serverError(status, body, headers, mediaType);
    }

    private TransportServerException serverError(int status, byte[] body, Map<String, List<String>> headers,
            String mediaType) {
        Duration retryAfter = retryAfter(headers);
        StringBuilder message = new StringBuilder("HTTP ").append(status).append(" from ")
                .append(transport.redactedUri).append(", not a GraphQL response");
        if (!mediaType.isEmpty()) {
            message.append(" (").append(mediaType).append(')');
        }
        message.append(": ").append(hint(status, retryAfter)).append(". Body: ").append(GraphQLJson.excerpt(body));
        return new TransportServerException(message.toString(), status, body.length == 0 ? "" : GraphQLJson.excerpt(body),
                retryAfter, headers);
    }

    private static String hint(int status, Duration retryAfter) {
        String wait = retryAfter == null ? "" : "; the server asks to wait " + retryAfter.toSeconds() + " s";
        return switch (status) {
            case 401, 403 -> "the server refused the credentials; check the Authorization header or token (not shown)";
            case 404 -> "check the endpoint URL";
            case 405 -> "the server does not accept this method at this URL; check the endpoint URL";
            case 413, 414, 431 -> "the request is too large for the server";
            case 429 -> "the server is rate limiting" + wait;
            case 502, 503, 504 -> "the server or a proxy in front of it is unavailable; retry later" + wait;
            default -> status >= 500 ? "the server failed; retry later" + wait : "the server rejected the request";
        };
    }

    private Duration retryAfter(Map<String, List<String>> headers) {
        List<String> values = headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase("Retry-After"))
                .flatMap(entry -> entry.getValue().stream())
                .toList();
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(0).trim();
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

    private static String mediaType(HttpResponse<?> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private RuntimeException asTransportException(Throwable failure) {
        if (failure instanceof JgqlException || failure instanceof CancellationException) {
            return (RuntimeException) failure;
        }
        String where = transport.redactedUri;
        if (!open.get()) {
            return closedInFlight();
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return new TransportConnectionFailedException("Could not connect to " + where + " within "
                    + transport.connectTimeout.toMillis() + " ms; the request was not sent", false, failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return new TransportConnectionFailedException("No response from " + where + " within the request timeout of "
                    + transport.requestTimeout.toMillis() + " ms; the request may have been applied", true, failure);
        }
        if (isConnectFailure(failure)) {
            return new TransportConnectionFailedException("Could not connect to " + where + " (" + describe(failure)
                    + "); the request was not sent. Is the server running?", false, failure);
        }
        return new TransportConnectionFailedException("The connection to " + where + " failed during the exchange ("
                + describe(failure) + "); the request may have reached the server", true, failure);
    }

    /** The innermost cause that says something: the JDK's refusal, for one, has no message at all. */
    private static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static boolean isConnectFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
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

    /** The URI without user info and query, which may hold credentials. */
    static String redact(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path;
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
        return FailedPublisher.of(new UnsupportedOperationException(
                "The HTTP transport cannot carry subscriptions; use a WebSocketTransport for " + request));
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
        if (open.compareAndSet(true, false)) {
            TransportConnectionFailedException inFlight = closedInFlight();
            for (CompletableFuture<?> request : pending) {
                request.completeExceptionally(inFlight);
            }
            HttpClient owned = executor == null ? null : client;
            client = null;
            if (owned != null) {
                HttpClients.release(owned);
                executor.shutdownNow();
            }
            closed.complete(closedByClient());
        }
        return CompletableFuture.completedFuture(null);
    }
}

package dev.jgql;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A connected session whose calls return at once: {@link CompletableFuture}s for single answers and
 * {@link Flow.Publisher}s for streams. The counterpart of gql's {@code async with client as
 * session}. Thread-safe: share one session among all threads.
 *
 * <pre>{@code
 * AsyncSession session = client.connectAsync().join();
 * session.execute(query, Map.of("code", "EU"))
 *        .thenAccept(data -> System.out.println(data.get("continent")));
 * session.closeAsync().join();
 * }</pre>
 *
 * <p>Every call runs through the client's pipeline (interceptors, events) and each attempt is
 * bounded by the client's execute timeout ({@link Client.Builder#executeTimeout}) unless the call's
 * {@link CallOptions} say otherwise; a late answer ends with {@link TransportTimeoutException}.
 * Futures complete on a transport thread or the client's scheduler thread: keep dependent
 * callbacks short or hand them to an executor of your own.
 */
public interface AsyncSession {

    /**
     * Runs a query or mutation and completes with its {@code data}; completes exceptionally with
     * {@link TransportQueryException} when the answer holds GraphQL errors, or another
     * {@link TransportException} when there is no answer.
     *
     * @throws JgqlUsageException if the request is a subscription
     */
    default CompletableFuture<Map<String, Object>> execute(GraphQLRequest request) {
        return execute(request, CallOptions.none());
    }

    /** {@link #execute(GraphQLRequest)} with these variables instead of the request's own. */
    default CompletableFuture<Map<String, Object>> execute(GraphQLRequest request, Map<String, ?> variables) {
        return execute(request.withVariables(variables));
    }

    /**
     * {@link #execute(GraphQLRequest)} with options for this call: its timeout or deadline, extra
     * headers, whether it is idempotent, whether it fails fast while the link is down.
     *
     * <pre>{@code
     * session.execute(query, CallOptions.builder().deadline(Duration.ofSeconds(2)).build());
     * }</pre>
     */
    default CompletableFuture<Map<String, Object>> execute(GraphQLRequest request, CallOptions options) {
        return dev.jgql.internal.Futures.dataOf(executeForResult(request, options));
    }

    /**
     * Runs a query or mutation and completes with its {@code data} as a Java type, built by
     * Jackson with the client's mapper (records, POJOs; properties the type lacks are ignored).
     * Fails as {@link #execute(GraphQLRequest)} does, or with {@link ResultMappingException}
     * when the type cannot be built from the data.
     *
     * <pre>{@code
     * record Continent(String code, String name) { }
     * record Data(Continent continent) { }
     * Data data = session.execute(query.withVariables(Map.of("code", "EU")), Data.class).join();
     * }</pre>
     */
    default <T> CompletableFuture<T> execute(GraphQLRequest request, Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return executeForResult(request).thenApply(result -> result.toEntity(type));
    }

    /** {@link #execute(GraphQLRequest, Class)} for a generic type, e.g. {@code new TypeReference<Map<String, List<Country>>>() { }}. */
    default <T> CompletableFuture<T> execute(GraphQLRequest request, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return executeForResult(request).thenApply(result -> result.toEntity(type));
    }

    /**
     * Runs a query or mutation and completes with the whole answer, GraphQL errors included (this
     * never fails with {@link TransportQueryException}); completes exceptionally with another
     * {@link TransportException} when there is no answer.
     */
    default CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request) {
        return executeForResult(request, CallOptions.none());
    }

    /** {@link #executeForResult(GraphQLRequest)} with these variables instead of the request's own. */
    default CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request, Map<String, ?> variables) {
        return executeForResult(request.withVariables(variables));
    }

    /** {@link #executeForResult(GraphQLRequest)} with options for this call (see {@link CallOptions}). */
    CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request, CallOptions options);

    /**
     * Starts a subscription and publishes each event's {@code data}. An event with GraphQL errors
     * ends the stream with {@link TransportQueryException} and stops the operation on the server
     * (as gql does); use {@link #subscribeForResults} to receive such events and keep going. A
     * broken link ends the stream with {@link TransportClosedException}. Nothing is sent until a
     * subscriber subscribes; each subscriber starts its own operation.
     */
    default Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request) {
        return subscribe(request, CallOptions.none());
    }

    /** {@link #subscribe(GraphQLRequest)} with these variables instead of the request's own. */
    default Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request, Map<String, ?> variables) {
        return subscribe(request.withVariables(variables));
    }

    /**
     * {@link #subscribe(GraphQLRequest)} with options: the timeout bounds the wait for a link to
     * start on, {@code failFast} fails at once while the link is down.
     */
    default Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request, CallOptions options) {
        return new dev.jgql.internal.DataPublisher(subscribeForResults(request, options));
    }

    /**
     * Starts a subscription and publishes every event whole; events with GraphQL errors are
     * delivered like any other and do not end the stream.
     */
    default Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request) {
        return subscribeForResults(request, CallOptions.none());
    }

    /** {@link #subscribeForResults(GraphQLRequest)} with options (see {@link #subscribe(GraphQLRequest, CallOptions)}). */
    Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request, CallOptions options);

    /**
     * The schema the client knows, given to {@link Client.Builder#schema} or fetched by
     * introspection ({@link Client.Builder#fetchSchemaFromTransport}, {@link #fetchSchema()}).
     * Default: none.
     *
     * <pre>{@code
     * session.schema().map(Schema::toSdl).ifPresent(System.out::println);
     * }</pre>
     *
     * @return the schema, if known
     */
    default java.util.Optional<dev.jgql.schema.Schema> schema() {
        return java.util.Optional.empty();
    }

    /**
     * Fetches the schema by introspection now (gql's {@code session.fetch_schema()}), with the
     * client's {@link Client.Builder#introspectionOptions options}, and makes it the client's:
     * from then on requests are validated against it and custom scalars are parsed.
     *
     * @return the schema; fails with {@link GraphQLSchemaException} when the server refuses
     *         introspection or answers with an incomplete schema, saying which
     */
    default CompletableFuture<dev.jgql.schema.Schema> fetchSchema() {
        return CompletableFuture.failedFuture(new JgqlUsageException(getClass().getName() + " cannot fetch a schema"));
    }

    /**
     * The same session seen through a blocking API, e.g. for a console or a batch job. Closing the
     * view closes this session; the view of a {@link ReconnectingSession} does not close it (the
     * permanent session is closed with {@link Client#closeAsync()}).
     *
     * <pre>{@code
     * Session blocking = client.session().blocking();
     * Map<String, Object> data = blocking.execute(query);
     * }</pre>
     */
    default Session blocking() {
        return new dev.jgql.internal.BlockingSession(this, true);
    }

    /**
     * Closes the session: pending calls fail with {@link TransportClosedException}, open streams
     * end with it, the link is released. Idempotent.
     */
    CompletableFuture<Void> closeAsync();
}

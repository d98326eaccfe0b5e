package dev.jgql;

import java.util.Map;
import java.util.concurrent.Flow;

/**
 * A connected session whose calls block until the answer comes: the counterpart of gql's
 * {@code with client as session}. Use it in try-with-resources. Thread-safe: share one session
 * among all threads.
 *
 * <pre>{@code
 * try (Session session = client.connect()) {
 *     Map<String, Object> data = session.execute(query, Map.of("code", "EU"));
 *     try (BlockingSubscription<Map<String, Object>> events = session.subscribeBlocking(countdown)) {
 *         for (Map<String, Object> event : events) {
 *             System.out.println(event);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Every call is bounded as on {@link AsyncSession} and throws the same exceptions as the
 * futures of {@link AsyncSession} fail with, unwrapped. An interrupted wait cancels the request
 * and throws {@link TransportException}, with the thread's interrupt flag set again.
 */
public interface Session extends AutoCloseable {

    /**
     * Runs a query or mutation and returns its {@code data}.
     *
     * @throws TransportQueryException when the answer holds GraphQL errors
     * @throws TransportException      when there is no answer
     */
    Map<String, Object> execute(GraphQLRequest request);

    /** {@link #execute(GraphQLRequest)} with these variables instead of the request's own. */
    default Map<String, Object> execute(GraphQLRequest request, Map<String, ?> variables) {
        return execute(request.withVariables(variables));
    }

    /** {@link #execute(GraphQLRequest)} with options for this call (see {@link CallOptions}). */
    Map<String, Object> execute(GraphQLRequest request, CallOptions options);

    /**
     * Runs a query or mutation and returns its {@code data} as a Java type; see
     * {@link AsyncSession#execute(GraphQLRequest, Class)}.
     *
     * <pre>{@code
     * record Continent(String code, String name) { }
     * record Data(Continent continent) { }
     * Data data = session.execute(query.withVariables(Map.of("code", "EU")), Data.class);
     * }</pre>
     *
     * @throws TransportQueryException when the answer holds GraphQL errors
     * @throws ResultMappingException  when the type cannot be built from the data
     * @throws TransportException      when there is no answer
     */
    default <T> T execute(GraphQLRequest request, Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return executeForResult(request).toEntity(type);
    }

    /** {@link #execute(GraphQLRequest, Class)} for a generic type. */
    default <T> T execute(GraphQLRequest request, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return executeForResult(request).toEntity(type);
    }

    /**
     * Runs a query or mutation and returns the whole answer, GraphQL errors included.
     *
     * @throws TransportException when there is no answer (never {@link TransportQueryException})
     */
    ExecutionResult executeForResult(GraphQLRequest request);

    /** {@link #executeForResult(GraphQLRequest)} with these variables instead of the request's own. */
    default ExecutionResult executeForResult(GraphQLRequest request, Map<String, ?> variables) {
        return executeForResult(request.withVariables(variables));
    }

    /** {@link #executeForResult(GraphQLRequest)} with options for this call (see {@link CallOptions}). */
    ExecutionResult executeForResult(GraphQLRequest request, CallOptions options);

    /** See {@link AsyncSession#subscribe(GraphQLRequest)}. */
    Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request);

    /** See {@link AsyncSession#subscribeForResults(GraphQLRequest)}. */
    Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request);

    /**
     * Starts a subscription consumed by blocking: iterate its events, one {@code data} map each,
     * until the server completes it; a failure is thrown from {@code hasNext()}/{@code next()}.
     * Closing it stops the operation on the server. Events are requested a few at a time, so a
     * slow reader holds the stream back rather than filling memory.
     *
     * @param request the subscription
     * @return the events; close it (try-with-resources) when done
     */
    default BlockingSubscription<Map<String, Object>> subscribeBlocking(GraphQLRequest request) {
        return subscribeBlocking(request, CallOptions.none());
    }

    /** {@link #subscribeBlocking(GraphQLRequest)} with options (see {@link AsyncSession#subscribe(GraphQLRequest, CallOptions)}). */
    default BlockingSubscription<Map<String, Object>> subscribeBlocking(GraphQLRequest request, CallOptions options) {
        return BlockingSubscription.of(async().subscribe(request, options));
    }

    /** See {@link AsyncSession#schema()}. */
    default java.util.Optional<dev.jgql.schema.Schema> schema() {
        return async().schema();
    }

    /**
     * See {@link AsyncSession#fetchSchema()}.
     *
     * @throws GraphQLSchemaException when the server refuses introspection or answers with an incomplete schema
     */
    default dev.jgql.schema.Schema fetchSchema() {
        return dev.jgql.internal.Futures.await(async().fetchSchema());
    }

    /** The same session seen through its non-blocking API. */
    AsyncSession async();

    /**
     * Closes the session and waits, a bounded time, until its link is released. Idempotent. The
     * blocking view of a {@link ReconnectingSession} does not close it (use
     * {@link Client#closeAsync()}).
     */
    @Override
    void close();
}

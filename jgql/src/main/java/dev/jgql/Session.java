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
 * }
 * }</pre>
 *
 * <p>Every call is bounded by the client's execute timeout and throws the same exceptions as the
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

    /** See {@link AsyncSession#subscribe(GraphQLRequest)}. */
    Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request);

    /** See {@link AsyncSession#subscribeForResults(GraphQLRequest)}. */
    Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request);

    /** The same session seen through its non-blocking API. */
    AsyncSession async();

    /** Closes the session and waits, a bounded time, until its link is released. Idempotent. */
    @Override
    void close();
}

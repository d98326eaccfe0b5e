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
 * <p>Every call is bounded by the client's execute timeout
 * ({@link Client.Builder#executeTimeout}); a late answer ends with
 * {@link TransportTimeoutException}. Futures complete on a transport thread or the client's
 * scheduler thread: keep dependent callbacks short or hand them to an executor of your own.
 */
public interface AsyncSession {

    /**
     * Runs a query or mutation and completes with its {@code data}; completes exceptionally with
     * {@link TransportQueryException} when the answer holds GraphQL errors, or another
     * {@link TransportException} when there is no answer.
     */
    CompletableFuture<Map<String, Object>> execute(GraphQLRequest request);

    /** {@link #execute(GraphQLRequest)} with these variables instead of the request's own. */
    default CompletableFuture<Map<String, Object>> execute(GraphQLRequest request, Map<String, ?> variables) {
        return execute(request.withVariables(variables));
    }

    /**
     * Runs a query or mutation and completes with the whole answer, GraphQL errors included (this
     * never fails with {@link TransportQueryException}); completes exceptionally with another
     * {@link TransportException} when there is no answer.
     */
    CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request);

    /** {@link #executeForResult(GraphQLRequest)} with these variables instead of the request's own. */
    default CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request, Map<String, ?> variables) {
        return executeForResult(request.withVariables(variables));
    }

    /**
     * Starts a subscription and publishes each event's {@code data}. An event with GraphQL errors
     * ends the stream with {@link TransportQueryException} and stops the operation on the server
     * (as gql does); use {@link #subscribeForResults} to receive such events and keep going. A
     * broken link ends the stream with {@link TransportClosedException}. Nothing is sent until a
     * subscriber subscribes; each subscriber starts its own operation.
     */
    Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request);

    /** {@link #subscribe(GraphQLRequest)} with these variables instead of the request's own. */
    default Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request, Map<String, ?> variables) {
        return subscribe(request.withVariables(variables));
    }

    /**
     * Starts a subscription and publishes every event whole; events with GraphQL errors are
     * delivered like any other and do not end the stream.
     */
    Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request);

    /**
     * The same session seen through a blocking API, e.g. for a console or a batch job that shares
     * the permanent session. Closing the view closes this session.
     *
     * <pre>{@code
     * Session blocking = client.session().blocking();
     * Map<String, Object> data = blocking.execute(query);
     * }</pre>
     */
    default Session blocking() {
        return new dev.jgql.internal.BlockingSession(this);
    }

    /**
     * Closes the session: pending calls fail with {@link TransportClosedException}, open streams
     * end with it, the link is released. Idempotent.
     */
    CompletableFuture<Void> closeAsync();
}

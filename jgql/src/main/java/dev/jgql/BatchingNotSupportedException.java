package dev.jgql;

/**
 * The server does not take batches: it answered a batch of requests with an error status or with
 * one result instead of a JSON array of results. Retrying does not help; enable batching on the
 * server (Apollo Server: {@code allowBatchedHttpRequests}, Yoga: {@code batching}, Vert.x:
 * {@code GraphQLHandlerOptions.setRequestBatchingEnabled}) or stop batching in the client.
 *
 * <pre>{@code
 * try {
 *     session.executeBatch(requests).join();
 * } catch (CompletionException e) {
 *     if (e.getCause() instanceof BatchingNotSupportedException) {
 *         // send them one by one instead
 *     }
 * }
 * }</pre>
 */
public class BatchingNotSupportedException extends TransportProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what the server answered, and what to do
     * @param cause   the failure the answer was on its own, or null
     */
    public BatchingNotSupportedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return {@code false}: the server will refuse the batch again */
    @Override
    public boolean isRetryable() {
        return false;
    }
}

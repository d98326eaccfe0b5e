package dev.jgql;

/**
 * Implemented by a {@link java.util.concurrent.Flow.Subscriber} that wants to know when a
 * {@link ReconnectingSession} resubscribed it after a reconnect (see
 * {@link Reconnect.Builder#resubscribe(Reconnect.ResubscribeHook)}): events sent while the link was
 * down are lost, so the subscriber may need to refresh its state.
 *
 * <pre>{@code
 * class Prices implements Flow.Subscriber<Map<String, Object>>, ResubscriptionListener {
 *     public void onResubscribed(GraphQLRequest request) { reloadSnapshot(); }
 *     ...
 * }
 * }</pre>
 */
public interface ResubscriptionListener {
    /**
     * Called after the new operation started and before its first event.
     *
     * @param request the request the subscription now runs with
     */
    void onResubscribed(GraphQLRequest request);
}

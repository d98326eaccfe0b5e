package dev.jgql;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A step in the request pipeline that every session of a client runs its calls through: it sees
 * each call on its way to the transport and the result on its way back, and may change either,
 * answer by itself, or call on more than once. Register it on {@link Client.Builder#interceptor}
 * (once per call, before retries) or {@link Client.Builder#attemptInterceptor} (once per attempt,
 * after retries). Interceptors run in the order they were registered; jgql's own steps (events,
 * deadline, retries, the per-attempt timeout, the link) are steps of the same pipeline.
 *
 * <pre>{@code
 * GraphQLInterceptor logging = (call, chain) -> {
 *     long start = System.nanoTime();
 *     return chain.proceed(call).whenComplete((result, failure) ->
 *             log.info("{} took {} µs", call.request(), (System.nanoTime() - start) / 1000));
 * };
 * Client client = Client.builder().transport(transport).interceptor(logging).build();
 * }</pre>
 *
 * <p>An interceptor must not block: it runs on the caller's thread or a jgql thread. An exception
 * it throws fails the call with that exception.
 */
@FunctionalInterface
public interface GraphQLInterceptor {

    /**
     * Intercepts one execute (a query or mutation).
     *
     * @param call  the call so far
     * @param chain the rest of the pipeline
     * @return the result, usually {@code chain.proceed(call)} or a future derived from it
     */
    CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain);

    /**
     * Intercepts one subscription when a subscriber subscribes. Default: passes it on unchanged.
     *
     * @param call  the call so far
     * @param chain the rest of the pipeline
     * @return the events, usually {@code chain.proceed(call)} or a publisher wrapping it
     */
    default Flow.Publisher<ExecutionResult> interceptSubscription(GraphQLCall call, SubscriptionChain chain) {
        return chain.proceed(call);
    }

    /** The rest of the pipeline for an execute. */
    @FunctionalInterface
    interface Chain {
        /**
         * Passes the call on.
         *
         * @param call the call, changed or not
         * @return its result
         */
        CompletableFuture<ExecutionResult> proceed(GraphQLCall call);
    }

    /** The rest of the pipeline for a subscription. */
    @FunctionalInterface
    interface SubscriptionChain {
        /**
         * Passes the call on.
         *
         * @param call the call, changed or not
         * @return its events
         */
        Flow.Publisher<ExecutionResult> proceed(GraphQLCall call);
    }
}

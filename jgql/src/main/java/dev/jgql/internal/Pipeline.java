package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.JgqlException;
import dev.jgql.JgqlUsageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The request pipeline of one session: the client's interceptors around jgql's own steps, linked
 * once when the session opens so that a call costs no allocation for the chain itself. Every
 * session, plain or permanent, runs its calls through one of these; they differ only in the steps
 * they put in it.
 *
 * <pre>
 * execute:   [events] → interceptors… → [deadline] → [retries: permanent session] → attempt interceptors… → [attempt: timeout + link + transport]
 * subscribe: [events] → interceptors… → [link + transport, resubscribing in the permanent session]
 * </pre>
 */
final class Pipeline {
    private final Node execute;
    private final SubscriptionNode subscribe;

    private Pipeline(Node execute, SubscriptionNode subscribe) {
        this.execute = execute;
        this.subscribe = subscribe;
    }

    /**
     * @param executeSteps   the steps of an execute, first to last; the last one must answer without its chain
     * @param subscribeSteps the steps of a subscription, likewise
     */
    static Pipeline of(List<GraphQLInterceptor> executeSteps, List<GraphQLInterceptor> subscribeSteps) {
        Node execute = null;
        for (int i = executeSteps.size() - 1; i >= 0; i--) {
            execute = new Node(executeSteps.get(i), execute);
        }
        SubscriptionNode subscribe = null;
        for (int i = subscribeSteps.size() - 1; i >= 0; i--) {
            subscribe = new SubscriptionNode(subscribeSteps.get(i), subscribe);
        }
        return new Pipeline(Objects.requireNonNull(execute, "no execute step"),
                Objects.requireNonNull(subscribe, "no subscribe step"));
    }

    /** Steps in order, skipping those that are absent. */
    static List<GraphQLInterceptor> steps(Object... stepsOrLists) {
        List<GraphQLInterceptor> steps = new ArrayList<>();
        for (Object item : stepsOrLists) {
            if (item instanceof GraphQLInterceptor step) {
                steps.add(step);
            } else if (item instanceof List<?> list) {
                for (Object step : list) {
                    steps.add((GraphQLInterceptor) step);
                }
            }
        }
        return steps;
    }

    CompletableFuture<ExecutionResult> execute(GraphQLCall call) {
        return execute.proceed(call);
    }

    Flow.Publisher<ExecutionResult> subscribe(GraphQLCall call) {
        return subscribe.proceed(call);
    }

    /** One step and the rest of the chain after it. An exception thrown by a step fails the call. */
    private static final class Node implements GraphQLInterceptor.Chain {
        private final GraphQLInterceptor step;
        private final Node next;

        Node(GraphQLInterceptor step, Node next) {
            this.step = step;
            this.next = next;
        }

        @Override
        public CompletableFuture<ExecutionResult> proceed(GraphQLCall call) {
            Objects.requireNonNull(call, "call");
            CompletableFuture<ExecutionResult> result;
            try {
                result = step.intercept(call, next == null ? END : next);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(failure(step, e));
            }
            if (result == null) {
                return CompletableFuture.failedFuture(new JgqlUsageException("The interceptor " + step
                        + " returned null; it must return a future, e.g. chain.proceed(call)"));
            }
            return result;
        }
    }

    private static final class SubscriptionNode implements GraphQLInterceptor.SubscriptionChain {
        private final GraphQLInterceptor step;
        private final SubscriptionNode next;

        SubscriptionNode(GraphQLInterceptor step, SubscriptionNode next) {
            this.step = step;
            this.next = next;
        }

        @Override
        public Flow.Publisher<ExecutionResult> proceed(GraphQLCall call) {
            Objects.requireNonNull(call, "call");
            Flow.Publisher<ExecutionResult> result;
            try {
                result = step.interceptSubscription(call, next == null ? END_OF_SUBSCRIPTION : next);
            } catch (RuntimeException e) {
                return FailedPublisher.of(failure(step, e));
            }
            return result == null ? FailedPublisher.of(new JgqlUsageException("The interceptor " + step
                    + " returned null; it must return a publisher, e.g. chain.proceed(call)")) : result;
        }
    }

    /** What a step that threw fails its call with: jgql's own exceptions as they are. */
    private static RuntimeException failure(GraphQLInterceptor step, RuntimeException thrown) {
        return thrown instanceof JgqlException ? thrown
                : new JgqlException("The interceptor " + step + " failed: " + thrown, thrown);
    }

    /** What the last step gets as its chain: jgql's last steps never call it. */
    private static final GraphQLInterceptor.Chain END = call -> CompletableFuture.failedFuture(
            new IllegalStateException("The last step of the pipeline called on"));
    private static final GraphQLInterceptor.SubscriptionChain END_OF_SUBSCRIPTION = call -> FailedPublisher.of(
            new IllegalStateException("The last step of the pipeline called on"));
}

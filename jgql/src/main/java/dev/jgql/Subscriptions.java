package dev.jgql;

import dev.failsafe.AsyncExecution;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.jgql.internal.ResumableSubscription;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Retries a subscription under a policy: the Java counterpart of decorating gql's
 * {@code async for result in session.subscribe(...)} function with {@code @backoff.on_exception}.
 * When the stream fails and the policy allows another try, the subscription starts again from
 * the supplier after the policy's delay; events already delivered stay delivered, so the
 * subscriber may see the stream restart. When the policy gives up, the stream ends with the last
 * failure. Demand carries over between tries.
 *
 * <pre>{@code
 * RetryPolicy<Object> policy = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
 *     .handle(Exception.class).withMaxAttempts(3).abortOn(TransportQueryException.class).build();
 * Flow.Publisher<Map<String, Object>> events =
 *     Subscriptions.retrying(() -> session.subscribe(subscription), policy, scheduler);
 * }</pre>
 *
 * @see Reconnect.Builder#resubscribe() automatic resubscription after a reconnect, for a
 *      reconnecting session
 */
public final class Subscriptions {
    private Subscriptions() {
    }

    /**
     * A publisher that subscribes to {@code subscribe.get()} and subscribes again, under
     * {@code policy}, each time that stream fails. Completion ends it; cancelling stops retries.
     *
     * @param scheduler where the policy's delays run (the application's, or a fake one in tests)
     */
    public static <T> Flow.Publisher<T> retrying(Supplier<Flow.Publisher<T>> subscribe, RetryPolicy<Object> policy,
            ScheduledExecutorService scheduler) {
        Objects.requireNonNull(subscribe, "subscribe");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(scheduler, "scheduler");
        return downstream -> {
            AtomicReference<AsyncExecution<Object>> attempt = new AtomicReference<>();
            AtomicReference<CompletableFuture<ResumableSubscription.Restart<T>>> next =
                    new AtomicReference<>(new CompletableFuture<>());
            CompletableFuture<Flow.Publisher<T>> first = new CompletableFuture<>();
            CompletableFuture<Object>[] tries = new CompletableFuture[1];
            ResumableSubscription<T> subscription = new ResumableSubscription<>(downstream, (failure, last) -> {
                CompletableFuture<ResumableSubscription.Restart<T>> restart = new CompletableFuture<>();
                next.set(restart);
                attempt.get().recordException(failure);
                return restart;
            }, () -> tries[0].cancel(false));
            tries[0] = Failsafe.with(policy).with(scheduler).getAsyncExecution(execution -> {
                boolean isFirst = attempt.getAndSet(execution) == null;
                try {
                    Flow.Publisher<T> publisher = subscribe.get();
                    if (isFirst) {
                        first.complete(publisher);
                    } else {
                        next.get().complete(new ResumableSubscription.Restart<>(publisher, null));
                    }
                } catch (RuntimeException e) {
                    execution.recordException(e);
                }
            });
            tries[0].whenComplete((ignored, failure) -> {
                if (failure != null) {
                    first.completeExceptionally(failure);
                    next.get().completeExceptionally(failure);
                }
            });
            subscription.start(first);
        };
    }
}

package dev.jgql;

import dev.failsafe.AsyncExecution;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.jgql.internal.HasScheduler;
import dev.jgql.internal.ResumableSubscription;

import java.util.Map;
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
 * Flow.Publisher<Map<String, Object>> events = Subscriptions.retrying(session, subscription, policy);
 * }</pre>
 *
 * @see Reconnect.Builder#resubscribe() automatic resubscription after a reconnect, for a
 *      reconnecting session
 */
public final class Subscriptions {
    private Subscriptions() {
    }

    /**
     * A publisher of a subscription's {@code data} that subscribes again on {@code session}, under
     * {@code policy}, each time the stream fails; the policy's delays run on the session's client's
     * scheduler (a fake one in tests, if the client was given one). Completion ends it; cancelling
     * stops retries.
     *
     * @param session      a session opened by a jgql {@link Client}
     * @param subscription the subscription to run
     * @param policy       when and how often to subscribe again
     * @return the events
     * @throws JgqlUsageException if the session is not one of jgql's own
     */
    public static Flow.Publisher<Map<String, Object>> retrying(AsyncSession session, GraphQLRequest subscription,
            RetryPolicy<Object> policy) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(subscription, "subscription");
        if (!(session instanceof HasScheduler scheduled)) {
            throw new JgqlUsageException("Subscriptions.retrying(session, …) needs a session opened by a jgql Client; "
                    + "for another publisher use Subscriptions.retrying(supplier, policy, scheduler)");
        }
        return retrying(() -> session.subscribe(subscription), policy, scheduled.scheduler());
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
            AtomicReference<CompletableFuture<Object>> tries = new AtomicReference<>();
            ResumableSubscription<T> subscription = new ResumableSubscription<>(downstream, (failure, last) -> {
                CompletableFuture<ResumableSubscription.Restart<T>> restart = new CompletableFuture<>();
                next.set(restart);
                attempt.get().recordException(failure);
                return restart;
            }, () -> {
                CompletableFuture<Object> running = tries.get();
                if (running != null) {
                    running.cancel(false);
                }
            });
            tries.set(Failsafe.with(policy).with(scheduler).getAsyncExecution(execution -> {
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
            }));
            tries.get().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    first.completeExceptionally(failure);
                    next.get().completeExceptionally(failure);
                }
            });
            subscription.start(first);
        };
    }
}

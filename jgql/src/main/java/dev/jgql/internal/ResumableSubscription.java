package dev.jgql.internal;

import dev.jgql.GraphQLRequest;
import dev.jgql.ResubscriptionListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;

/**
 * One downstream subscription fed by a succession of upstream publishers: when an upstream fails,
 * {@code onUpstreamFailure} decides whether a next upstream takes over (resubscription, retry) or
 * the stream ends. Demand the downstream signalled and that was not yet met carries over to the
 * next upstream, so back-pressure holds across restarts.
 *
 * @param <T> the event type
 */
public final class ResumableSubscription<T> implements Flow.Subscription {

    /** What to continue with after a failed upstream. */
    public record Restart<T>(Flow.Publisher<T> publisher, GraphQLRequest request) {
    }

    private final Flow.Subscriber<? super T> downstream;
    private final BiFunction<Throwable, T, CompletableFuture<Restart<T>>> onUpstreamFailure;
    private final Runnable onFinished;
    private long demand;
    private Flow.Subscription upstream;
    private Upstream current;
    private boolean cancelled;
    private boolean finished;
    private T lastItem;

    /**
     * @param onUpstreamFailure given the failure and the last item delivered (or null), completes
     *                          with what to continue with, or exceptionally to end the stream
     * @param onFinished        run once when the stream ends in any way (complete, error, cancel)
     */
    public ResumableSubscription(Flow.Subscriber<? super T> downstream,
            BiFunction<Throwable, T, CompletableFuture<Restart<T>>> onUpstreamFailure, Runnable onFinished) {
        this.downstream = downstream;
        this.onUpstreamFailure = onUpstreamFailure;
        this.onFinished = onFinished;
    }

    /** Hands this subscription to the downstream, then subscribes to the first upstream when it is known. */
    public void start(CompletableFuture<Flow.Publisher<T>> first) {
        downstream.onSubscribe(this);
        first.whenComplete((publisher, failure) -> {
            if (failure != null) {
                fail(Futures.unwrap(failure));
            } else {
                follow(publisher, null);
            }
        });
    }

    /** Ends the stream with this failure, cancelling the current upstream. Idempotent. */
    public void fail(Throwable failure) {
        Flow.Subscription toCancel;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            toCancel = upstream;
            upstream = null;
            current = null;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        downstream.onError(failure);
        onFinished.run();
    }

    private void follow(Flow.Publisher<T> publisher, GraphQLRequest restartedWith) {
        Upstream next = new Upstream(restartedWith);
        synchronized (this) {
            if (finished || cancelled) {
                return;
            }
            current = next;
        }
        publisher.subscribe(next);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), got " + n));
            return;
        }
        Flow.Subscription target;
        synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            target = upstream;
        }
        if (target != null) {
            target.request(n);
        }
    }

    @Override
    public void cancel() {
        Flow.Subscription target;
        synchronized (this) {
            if (cancelled || finished) {
                return;
            }
            cancelled = true;
            finished = true;
            target = upstream;
            upstream = null;
            current = null;
        }
        if (target != null) {
            target.cancel();
        }
        onFinished.run();
    }

    private final class Upstream implements Flow.Subscriber<T> {
        private final GraphQLRequest restartedWith;

        Upstream(GraphQLRequest restartedWith) {
            this.restartedWith = restartedWith;
        }

        private boolean isCurrent() {
            synchronized (ResumableSubscription.this) {
                return current == this && !finished;
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            long toRequest;
            synchronized (ResumableSubscription.this) {
                if (current != this || finished) {
                    subscription.cancel();
                    return;
                }
                upstream = subscription;
                toRequest = demand;
            }
            if (restartedWith != null && downstream instanceof ResubscriptionListener listener) {
                listener.onResubscribed(restartedWith);
            }
            if (toRequest > 0) {
                subscription.request(toRequest);
            }
        }

        @Override
        public void onNext(T item) {
            synchronized (ResumableSubscription.this) {
                if (current != this || finished) {
                    return;
                }
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                lastItem = item;
            }
            downstream.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
            T last;
            synchronized (ResumableSubscription.this) {
                if (current != this || finished) {
                    return;
                }
                upstream = null;
                last = lastItem;
            }
            CompletableFuture<Restart<T>> decision;
            try {
                decision = onUpstreamFailure.apply(failure, last);
            } catch (RuntimeException e) {
                decision = CompletableFuture.failedFuture(e);
            }
            decision.whenComplete((restart, stop) -> {
                if (stop != null) {
                    fail(Futures.unwrap(stop));
                } else if (isCurrent()) {
                    follow(restart.publisher(), restart.request());
                }
            });
        }

        @Override
        public void onComplete() {
            synchronized (ResumableSubscription.this) {
                if (current != this || finished) {
                    return;
                }
                finished = true;
                upstream = null;
                current = null;
            }
            downstream.onComplete();
            onFinished.run();
        }
    }
}

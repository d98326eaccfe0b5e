package dev.jgql.internal;

import dev.jgql.ClientEventListener;
import dev.jgql.ClientEventListener.Outcome;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.OperationType;
import dev.jgql.TransportTimeoutException;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first step when a listener is registered: tells it each call's start and end (with the number
 * of attempts, counted by the attempt step through {@link #ATTEMPTS}) and each subscription's. Not
 * in the pipeline at all when no listener is registered.
 */
final class EventsStep implements GraphQLInterceptor {
    /** The attribute under which the attempt step counts attempts. */
    static final String ATTEMPTS = "jgql.attempts";

    private final Events events;

    EventsStep(Events events) {
        this.events = events;
    }

    /** Counts one attempt of the call, if anyone counts. */
    static void countAttempt(GraphQLCall call) {
        Object counter = call.attributes().get(ATTEMPTS);
        if (counter instanceof AtomicInteger attempts) {
            attempts.incrementAndGet();
        }
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        long id = events.nextId();
        long start = System.nanoTime();
        String name = call.request().selectedOperationName().orElse("");
        OperationType type = call.request().operationType();
        AtomicInteger attempts = new AtomicInteger();
        events.emit(listener -> listener.callStarted(new ClientEventListener.CallStarted(id, name, type)));
        CompletableFuture<ExecutionResult> result = chain.proceed(call.withAttribute(ATTEMPTS, attempts));
        result.whenComplete((value, failure) -> {
            Throwable cause = failure == null ? null : Futures.unwrap(failure);
            Outcome outcome = outcome(value, cause);
            events.emit(listener -> listener.callFinished(new ClientEventListener.CallFinished(id, name, type, outcome,
                    attempts.get(), Duration.ofNanos(System.nanoTime() - start),
                    outcome == Outcome.SUCCESS || outcome == Outcome.GRAPHQL_ERRORS ? null : cause)));
        });
        return result;
    }

    private static Outcome outcome(ExecutionResult value, Throwable cause) {
        if (cause == null) {
            return value.hasErrors() ? Outcome.GRAPHQL_ERRORS : Outcome.SUCCESS;
        }
        if (cause instanceof TransportTimeoutException) {
            return Outcome.TIMED_OUT;
        }
        if (cause instanceof CancellationException || cause instanceof ClosedByApplication) {
            return Outcome.CANCELLED;
        }
        return Outcome.FAILED;
    }

    @Override
    public Flow.Publisher<ExecutionResult> interceptSubscription(GraphQLCall call, SubscriptionChain chain) {
        Flow.Publisher<ExecutionResult> upstream = chain.proceed(call);
        String name = call.request().selectedOperationName().orElse("");
        return downstream -> upstream.subscribe(new Counting(downstream, name));
    }

    /** Passes every signal on, counting events and telling the listener of the start and the end. */
    private final class Counting implements Flow.Subscriber<ExecutionResult>, dev.jgql.ResubscriptionListener {
        private final Flow.Subscriber<? super ExecutionResult> downstream;
        private final String name;
        private final long id = events.nextId();
        private final long start = System.nanoTime();
        private final AtomicLong delivered = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        Counting(Flow.Subscriber<? super ExecutionResult> downstream, String name) {
            this.downstream = downstream;
            this.name = name;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            events.emit(listener -> listener.subscriptionStarted(new ClientEventListener.SubscriptionStarted(id, name)));
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    end(Outcome.CANCELLED, null);
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onNext(ExecutionResult item) {
            delivered.incrementAndGet();
            downstream.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
            end(Outcome.FAILED, failure);
            downstream.onError(failure);
        }

        @Override
        public void onComplete() {
            end(Outcome.SUCCESS, null);
            downstream.onComplete();
        }

        @Override
        public void onResubscribed(dev.jgql.GraphQLRequest request) {
            if (downstream instanceof dev.jgql.ResubscriptionListener listener) {
                listener.onResubscribed(request);
            }
        }

        private void end(Outcome outcome, Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                events.emit(listener -> listener.subscriptionEnded(new ClientEventListener.SubscriptionEnded(id, name,
                        outcome, delivered.get(), Duration.ofNanos(System.nanoTime() - start), failure)));
            }
        }
    }
}

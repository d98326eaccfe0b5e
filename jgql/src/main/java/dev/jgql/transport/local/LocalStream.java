package dev.jgql.transport.local;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;
import dev.jgql.transport.support.StreamSubscription;
import graphql.ExecutionInput;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.concurrent.Flow;

/**
 * One subscriber's subscription on a local schema: graphql-java's reactive-streams publisher of
 * events, adapted to a {@link Flow} subscriber. {@link StreamSubscription} keeps the subscriber's
 * signals serial and its ending as the SPI says; every {@code request(n)} of the subscriber is
 * passed on to graphql-java's publisher unchanged, so the source produces no more than the
 * subscriber asked for, and its buffer never holds more than that.
 */
final class LocalStream implements StreamSubscription.Owner, Subscriber<graphql.ExecutionResult> {
    private final LocalSchemaConnection connection;
    private final GraphQLRequest request;
    private final StreamSubscription stream;
    private final Object lock = new Object();
    private volatile ExecutionInput input;

    // guarded by lock
    private Subscription upstream;
    /** What the subscriber requested before graphql-java's publisher subscribed. */
    private long unforwarded;
    private boolean cancelled;

    LocalStream(LocalSchemaConnection connection, GraphQLRequest request, Flow.Subscriber<? super ExecutionResult> subscriber) {
        this.connection = connection;
        this.request = request;
        // Delivered on the thread that signals (a direct executor): the drain keeps signals serial.
        // Unbounded, because demand is passed on: the buffer holds at most what was requested.
        this.stream = new StreamSubscription(new Downstream(subscriber), Runnable::run, Integer.MAX_VALUE);
    }

    GraphQLRequest request() {
        return request;
    }

    void open() {
        stream.open(this);
    }

    // ------------------------------------------------------------------ StreamSubscription.Owner

    @Override
    public void start() {
        connection.start(this);
    }

    @Override
    public void cancel() {
        cancelSource();
        connection.ended(this);
    }

    private void cancelSource() {
        Subscription source;
        synchronized (lock) {
            cancelled = true;
            source = upstream;
        }
        if (source != null) {
            source.cancel();
        }
        ExecutionInput running = input;
        if (running != null) {
            running.cancel();
        }
    }

    private void forward(long n) {
        Subscription source;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            if (upstream == null) {
                unforwarded = unforwarded + n < 0 ? Long.MAX_VALUE : unforwarded + n;
                return;
            }
            source = upstream;
        }
        source.request(n);
    }

    // ------------------------------------------------------------------ what the connection reports

    void running(ExecutionInput running) {
        input = running;
        synchronized (lock) {
            if (!cancelled) {
                return;
            }
        }
        running.cancel();
    }

    @SuppressWarnings("unchecked")
    void events(Publisher<?> events) {
        ((Publisher<graphql.ExecutionResult>) events).subscribe(this);
    }

    /** The operation was not a subscription: its one result, then the end. */
    void single(ExecutionResult result) {
        stream.offer(result);
        stream.complete();
    }

    void fail(Throwable failure) {
        stream.fail(failure);
    }

    /** The connection closed: stop the source and end at once. */
    void closed(TransportClosedException reason) {
        cancelSource();
        stream.failNow(reason);
    }

    // ------------------------------------------------------------------ graphql-java's publisher

    @Override
    public void onSubscribe(Subscription subscription) {
        long requested;
        synchronized (lock) {
            if (upstream != null || cancelled) {
                requested = -1;
            } else {
                upstream = subscription;
                requested = unforwarded;
                unforwarded = 0;
            }
        }
        if (requested < 0) {
            subscription.cancel();
        } else if (requested > 0) {
            subscription.request(requested);
        }
    }

    @Override
    public void onNext(graphql.ExecutionResult event) {
        // Cannot refuse: the buffer is unbounded and holds no more than was requested.
        stream.offer(LocalSchemaConnection.toResult(event, request));
    }

    @Override
    public void onError(Throwable failure) {
        stream.fail(LocalSchemaConnection.sourceFailed(request, failure));
    }

    @Override
    public void onComplete() {
        stream.complete();
    }

    /** The subscriber, with its requests passed on to the source and its end reported to the connection. */
    private final class Downstream implements Flow.Subscriber<ExecutionResult> {
        private final Flow.Subscriber<? super ExecutionResult> subscriber;

        Downstream(Flow.Subscriber<? super ExecutionResult> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n); // first: counts the demand, and starts the operation the first time
                    if (n > 0) {
                        forward(n);
                    }
                }

                @Override
                public void cancel() {
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onNext(ExecutionResult item) {
            subscriber.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
            connection.ended(LocalStream.this);
            subscriber.onError(failure);
        }

        @Override
        public void onComplete() {
            connection.ended(LocalStream.this);
            subscriber.onComplete();
        }
    }
}

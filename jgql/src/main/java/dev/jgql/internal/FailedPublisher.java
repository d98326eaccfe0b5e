package dev.jgql.internal;

import java.util.concurrent.Flow;

/** A publisher that fails every subscriber at once with the same exception. */
public final class FailedPublisher<T> implements Flow.Publisher<T> {
    private final Throwable failure;

    private FailedPublisher(Throwable failure) {
        this.failure = failure;
    }

    public static <T> Flow.Publisher<T> of(Throwable failure) {
        return new FailedPublisher<>(failure);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(failure);
    }
}

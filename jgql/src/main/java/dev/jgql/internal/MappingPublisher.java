package dev.jgql.internal;

import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.ResubscriptionListener;

import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Publishes each upstream event mapped by a function; when the function throws one of jgql's
 * exceptions, the upstream is cancelled (which stops the operation on the server) and the stream
 * ends with it. One event in, exactly one out, so demand passes through unchanged. Resubscription
 * news reaches a downstream that listens for it.
 *
 * @param <T> upstream events
 * @param <R> downstream events
 */
public class MappingPublisher<T, R> implements Flow.Publisher<R> {
    private final Flow.Publisher<T> upstream;
    private final Function<? super T, ? extends R> mapping;

    public MappingPublisher(Flow.Publisher<T> upstream, Function<? super T, ? extends R> mapping) {
        this.upstream = upstream;
        this.mapping = mapping;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super R> downstream) {
        upstream.subscribe(new MappingSubscriber<>(downstream, mapping));
    }

    private static final class MappingSubscriber<T, R> implements Flow.Subscriber<T>, ResubscriptionListener {
        private final Flow.Subscriber<? super R> downstream;
        private final Function<? super T, ? extends R> mapping;
        private Flow.Subscription subscription;
        private boolean done;

        MappingSubscriber(Flow.Subscriber<? super R> downstream, Function<? super T, ? extends R> mapping) {
            this.downstream = downstream;
            this.mapping = mapping;
        }

        @Override
        public void onResubscribed(GraphQLRequest request) {
            if (downstream instanceof ResubscriptionListener listener) {
                listener.onResubscribed(request);
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            downstream.onSubscribe(subscription);
        }

        @Override
        public void onNext(T event) {
            if (done) {
                return;
            }
            R mapped;
            try {
                mapped = mapping.apply(event);
            } catch (JgqlException e) {
                done = true;
                subscription.cancel();
                downstream.onError(e);
                return;
            }
            downstream.onNext(mapped);
        }

        @Override
        public void onError(Throwable failure) {
            if (!done) {
                done = true;
                downstream.onError(failure);
            }
        }

        @Override
        public void onComplete() {
            if (!done) {
                done = true;
                downstream.onComplete();
            }
        }
    }
}

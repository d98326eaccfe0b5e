package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.ResubscriptionListener;
import dev.jgql.TransportQueryException;

import java.util.Map;
import java.util.concurrent.Flow;

/**
 * Publishes each event's {@code data}; an event with GraphQL errors cancels the upstream (which
 * stops the operation on the server) and ends the stream with {@link TransportQueryException}.
 * One event in, at most one out, so demand passes through unchanged.
 */
public final class DataPublisher implements Flow.Publisher<Map<String, Object>> {
    private final Flow.Publisher<ExecutionResult> upstream;

    public DataPublisher(Flow.Publisher<ExecutionResult> upstream) {
        this.upstream = upstream;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Map<String, Object>> downstream) {
        upstream.subscribe(new DataSubscriber(downstream));
    }

    /** Also forwards resubscription news to a downstream that listens for it. */
    private static final class DataSubscriber implements Flow.Subscriber<ExecutionResult>, ResubscriptionListener {
        private final Flow.Subscriber<? super Map<String, Object>> downstream;
        private Flow.Subscription subscription;
        private boolean done;

        DataSubscriber(Flow.Subscriber<? super Map<String, Object>> downstream) {
            this.downstream = downstream;
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
        public void onNext(ExecutionResult result) {
            if (done) {
                return;
            }
            if (result.hasErrors()) {
                done = true;
                subscription.cancel();
                downstream.onError(new TransportQueryException(result));
                return;
            }
            downstream.onNext(result.data());
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

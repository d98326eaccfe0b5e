package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.transport.TransportConnection;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The last step of a subscription: gets the link (waiting up to the call's timeout, or failing at
 * once for a fail-fast call) and starts the operation on it. In the permanent session, when the
 * link breaks and resubscription is on ({@link Reconnect.Builder#resubscribe}), the stream goes on
 * over the next link with the request the hook chooses; otherwise it ends with the failure, as in
 * gql.
 */
final class SubscribeStep implements GraphQLInterceptor {
    private final LinkSource links;
    private final Duration defaultTimeout;
    private final ScheduledExecutorService scheduler;
    private final Reconnect.ResubscribeHook resubscribe;
    private final Supplier<Throwable> closedOrNull;
    private final Set<ResumableSubscription<ExecutionResult>> active = ConcurrentHashMap.newKeySet();

    /**
     * @param resubscribe  the hook choosing the request after a reconnect, or null to end streams with their link
     * @param closedOrNull the session's closed failure once it is closed, else null
     */
    SubscribeStep(LinkSource links, Duration defaultTimeout, ScheduledExecutorService scheduler,
            Reconnect.ResubscribeHook resubscribe, Supplier<Throwable> closedOrNull) {
        this.links = links;
        this.defaultTimeout = defaultTimeout;
        this.scheduler = scheduler;
        this.resubscribe = resubscribe;
        this.closedOrNull = closedOrNull;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        return CompletableFuture.failedFuture(new JgqlUsageException("A subscription step cannot execute " + call.request()));
    }

    @Override
    public Flow.Publisher<ExecutionResult> interceptSubscription(GraphQLCall call, SubscriptionChain end) {
        return downstream -> new Supervised(call, downstream).start();
    }

    /** Ends every open stream: the session closed. */
    void closeAll(Throwable closed) {
        for (ResumableSubscription<ExecutionResult> stream : active) {
            stream.fail(closed);
        }
    }

    /** One subscriber's stream over successive links. */
    private final class Supervised {
        private final ResumableSubscription<ExecutionResult> stream;
        private volatile GraphQLCall running;
        private volatile TransportConnection used;

        Supervised(GraphQLCall call, Flow.Subscriber<? super ExecutionResult> downstream) {
            this.running = call;
            this.stream = new ResumableSubscription<>(downstream, this::afterBreak, this::finished);
        }

        private void finished() {
            active.remove(stream);
        }

        void start() {
            active.add(stream);
            Throwable closed = closedOrNull.get();
            if (closed != null) {
                stream.start(CompletableFuture.failedFuture(closed));
                return;
            }
            GraphQLCall call = running;
            CompletableFuture<TransportConnection> link = links.link();
            if (!link.isDone() && call.options().failFast()) {
                Throwable last = links.lastFailure();
                stream.start(CompletableFuture.failedFuture(new LinkDownException("The link to the GraphQL backend ("
                        + links.name() + ") is down" + (last == null ? "" : " (" + last.getMessage() + ")")
                        + "; the subscription was not started because it fails fast (CallOptions.failFast)", last)));
                return;
            }
            Duration timeout = call.options().timeout().orElse(defaultTimeout);
            CompletableFuture<Flow.Publisher<ExecutionResult>> first = Futures.within(link, timeout, scheduler,
                            () -> new TransportTimeoutException("No link to the GraphQL backend (" + links.name()
                                    + ") within " + timeout.toMillis() + " ms to start " + call.request()
                                    + "; nothing was sent", timeout, false, links.lastFailure()))
                    .thenApply(connection -> {
                        used = connection;
                        return connection.subscribe(call);
                    });
            stream.start(first);
        }

        private CompletableFuture<ResumableSubscription.Restart<ExecutionResult>> afterBreak(Throwable failure,
                ExecutionResult lastEvent) {
            TransportConnection broken = used;
            if (broken != null && failure instanceof TransportClosedException) {
                links.failed(broken, failure);
            }
            Throwable closed = closedOrNull.get();
            if (closed != null) {
                return CompletableFuture.failedFuture(closed);
            }
            if (resubscribe == null || !(failure instanceof TransportClosedException)) {
                return CompletableFuture.failedFuture(failure);
            }
            // Wait as long as it takes: the subscriber asked to survive reconnects.
            return links.link().thenApply(connection -> {
                GraphQLRequest next = resubscribe.next(running.request(), lastEvent);
                GraphQLCall call = running.withRequest(next);
                running = call;
                used = connection;
                return new ResumableSubscription.Restart<>(connection.subscribe(call), next);
            });
        }
    }
}

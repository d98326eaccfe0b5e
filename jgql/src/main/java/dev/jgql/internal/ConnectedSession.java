package dev.jgql.internal;

import dev.jgql.AsyncSession;
import dev.jgql.CallOptions;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.schema.Schema;
import dev.jgql.TransportClosedException;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A plain session: its connection (two, with a separate subscription transport), used until
 * closed; no reconnect, no retry. Calls run through the client's pipeline: events, interceptors,
 * deadline, attempt interceptors, one attempt bounded by the timeout.
 */
public final class ConnectedSession implements AsyncSession, HasScheduler {
    private final ClientConfig config;
    private final TransportContext context;
    private final TransportConnection connection;
    private final TransportConnection subscriptions;
    private final Runnable onClosed;
    private final Pipeline pipeline;
    private final SubscribeStep subscribeStep;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    public ConnectedSession(ClientConfig config, TransportContext context, TransportConnection connection,
            TransportConnection subscriptions, Runnable onClosed) {
        this.config = config;
        this.context = context;
        this.connection = connection;
        this.subscriptions = subscriptions;
        this.onClosed = onClosed;
        LinkSource main = new FixedLink("main", connection);
        LinkSource streams = subscriptions == connection ? main : new FixedLink("subscriptions", subscriptions);
        this.subscribeStep = new SubscribeStep(streams, config.executeTimeout(), context.scheduler(), null,
                () -> closed.get() ? closedException() : null);
        this.pipeline = Pipeline.of(
                Pipeline.steps(config.head(), config.batchStep(context.scheduler()), new DeadlineStep(context.scheduler(), context.clock(), main),
                        config.attemptInterceptors(),
                        new AttemptStep(main, config.executeTimeout(), context.scheduler(), context.clock())),
                Pipeline.steps(config.head(), subscribeStep));
    }

    private static TransportClosedException closedException() {
        return new ClosedByApplication("The session is closed; open a new one");
    }

    @Override
    public CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request, CallOptions options) {
        Checks.executable(request);
        Objects.requireNonNull(options, "options");
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return pipeline.execute(GraphQLCall.of(request, options.over(config.defaultCallOptions())));
    }

    @Override
    public CompletableFuture<java.util.List<ExecutionResult>> executeBatch(java.util.List<GraphQLRequest> requests,
            CallOptions options) {
        requests.forEach(Checks::executable);
        Objects.requireNonNull(options, "options");
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return BatchStep.executeBatch(requests, options.over(config.defaultCallOptions()), pipeline::execute);
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        if (closed.get()) {
            return FailedPublisher.of(closedException());
        }
        return pipeline.subscribe(GraphQLCall.of(request, options.over(config.defaultCallOptions())));
    }

    @Override
    public Optional<Schema> schema() {
        return config.schemas().schema();
    }

    @Override
    public CompletableFuture<Schema> fetchSchema() {
        return config.schemas().fetch(this);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (closed.compareAndSet(false, true)) {
            subscribeStep.closeAll(closedException());
            CompletableFuture<Void> released = subscriptions == connection ? connection.close()
                    : CompletableFuture.allOf(connection.close(), subscriptions.close());
            released.whenComplete((ignored, failure) -> {
                onClosed.run();
                closing.complete(null);
            });
        }
        return closing;
    }

    @Override
    public java.util.concurrent.ScheduledExecutorService scheduler() {
        return context.scheduler();
    }
}

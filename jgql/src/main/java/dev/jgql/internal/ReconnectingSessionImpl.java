package dev.jgql.internal;

import dev.jgql.CallOptions;
import dev.jgql.ClientEventListener;
import dev.jgql.ConnectionState;
import dev.jgql.ConnectionStateListener;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.schema.Schema;
import dev.jgql.TransportClosedException;
import dev.jgql.transport.TransportContext;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The permanent session: one {@link LinkSupervisor} per link (one, or two with a separate
 * subscription transport) and one pipeline whose steps add the execute retries and resubscription
 * to what every session has. It holds the overall state and the session's lifecycle; everything
 * about keeping a link up is the supervisor's, everything about one call is the pipeline's.
 */
public final class ReconnectingSessionImpl implements ReconnectingSession, LinkSupervisor.Owner, HasScheduler {
    private final ClientConfig config;
    private final TransportContext context;
    private final Reconnect options;
    private final Runnable onClosed;
    private final LinkSupervisor main;
    private final LinkSupervisor subscriptions;
    private final RetryStep retryStep;
    private final SubscribeStep subscribeStep;
    private final Pipeline pipeline;
    private final OrderedNotifier notifier = new OrderedNotifier();
    private final CompletableFuture<ReconnectingSession> firstConnection = new CompletableFuture<>();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    private final Object stateLock = new Object();
    // guarded by stateLock
    private ConnectionState state = ConnectionState.CONNECTING;
    private CompletableFuture<ReconnectingSession> connected = new CompletableFuture<>();
    private volatile TransportClosedException closed;

    @SuppressWarnings("deprecation") // Reconnect.probe() is still honoured for a release, through the context
    public ReconnectingSessionImpl(ClientConfig config, TransportContext context, Reconnect options, Runnable onClosed) {
        this.config = config;
        this.context = context;
        this.options = options;
        this.onClosed = onClosed;
        Events events = config.events();
        TransportContext linkContext = options.probe() == null ? context : context.withProbe(options.probe());
        this.main = new LinkSupervisor("main", config.transport(), linkContext, options, config.executeTimeout(), events,
                this);
        this.subscriptions = config.splitTransports() ? new LinkSupervisor("subscriptions",
                config.subscriptionTransport(), linkContext, options, config.executeTimeout(), events, this) : main;
        this.retryStep = options.retriesExecute()
                ? new RetryStep(options, context.scheduler(), context.clock(), events, this::closedOrNull) : null;
        this.subscribeStep = new SubscribeStep(subscriptions, config.executeTimeout(), context.scheduler(),
                options.resubscribeHook(), this::closedOrNull);
        this.pipeline = Pipeline.of(
                Pipeline.steps(config.head(), config.batchStep(context.scheduler()), new DeadlineStep(context.scheduler(), context.clock(), main), retryStep,
                        config.attemptInterceptors(),
                        new AttemptStep(main, config.executeTimeout(), context.scheduler(), context.clock())),
                Pipeline.steps(config.head(), subscribeStep));
        if (events.enabled()) {
            notifier.add((from, to) -> events.emit(listener -> listener.stateChanged(
                    new ClientEventListener.StateChanged("session", from, to))));
        }
    }

    /** Starts connecting; the future completes with the first connection, or at once if so configured. */
    public CompletableFuture<ReconnectingSession> start() {
        main.start();
        if (subscriptions != main) {
            subscriptions.start();
        }
        return options.awaitFirstConnection() ? firstConnection : CompletableFuture.completedFuture(this);
    }

    // ---- calls ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request, CallOptions callOptions) {
        Checks.executable(request);
        Objects.requireNonNull(callOptions, "options");
        TransportClosedException closedNow = closed;
        if (closedNow != null) {
            return CompletableFuture.failedFuture(closedNow);
        }
        return pipeline.execute(GraphQLCall.of(request, callOptions.over(config.defaultCallOptions())));
    }

    @Override
    public CompletableFuture<java.util.List<ExecutionResult>> executeBatch(java.util.List<GraphQLRequest> requests,
            CallOptions callOptions) {
        requests.forEach(Checks::executable);
        Objects.requireNonNull(callOptions, "options");
        TransportClosedException closedNow = closed;
        if (closedNow != null) {
            return CompletableFuture.failedFuture(closedNow);
        }
        return BatchStep.executeBatch(requests, callOptions.over(config.defaultCallOptions()), pipeline::execute);
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request, CallOptions callOptions) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(callOptions, "options");
        return pipeline.subscribe(GraphQLCall.of(request, callOptions.over(config.defaultCallOptions())));
    }

    @Override
    public Session blocking() {
        return new BlockingSession(this, false);
    }

    @Override
    public Optional<Schema> schema() {
        return config.schemas().schema();
    }

    @Override
    public CompletableFuture<Schema> fetchSchema() {
        return config.schemas().fetch(this);
    }

    // ---- state ----------------------------------------------------------------------------------

    @Override
    public void stateChanged(LinkSupervisor link, ConnectionState from, ConnectionState to) {
        Events events = config.events();
        if (events.enabled()) {
            events.emit(listener -> listener.stateChanged(new ClientEventListener.StateChanged(link.name(), from, to)));
        }
        CompletableFuture<ReconnectingSession> nowConnected = null;
        synchronized (stateLock) {
            ConnectionState overall = overall();
            if (overall == state) {
                return;
            }
            notifier.enqueue(state, overall);
            state = overall;
            if (overall == ConnectionState.CONNECTED) {
                nowConnected = connected;
            } else if (connected.isDone() && overall != ConnectionState.CLOSED) {
                connected = new CompletableFuture<>();
            }
        }
        notifier.drain();
        if (nowConnected != null) {
            firstConnection.complete(this);
            nowConnected.complete(this);
            config.schemas().fetchIfNeeded(this);
        }
    }

    /** The worst of the links' states; guarded by stateLock. */
    private ConnectionState overall() {
        if (closed != null) {
            return ConnectionState.CLOSED;
        }
        ConnectionState first = main.state();
        ConnectionState second = subscriptions.state();
        if (first == ConnectionState.RECONNECTING || second == ConnectionState.RECONNECTING) {
            return ConnectionState.RECONNECTING;
        }
        if (first == ConnectionState.CONNECTING || second == ConnectionState.CONNECTING) {
            return ConnectionState.CONNECTING;
        }
        return first == ConnectionState.CLOSED || second == ConnectionState.CLOSED ? ConnectionState.CLOSED
                : ConnectionState.CONNECTED;
    }

    @Override
    public void gaveUp(LinkSupervisor link, Throwable failure) {
        if (options.awaitFirstConnection() && !firstConnection.isDone()) {
            firstConnection.completeExceptionally(failure);
            closeAsync();
        }
    }

    @Override
    public Throwable closedOrNull() {
        return closed;
    }

    @Override
    public ConnectionState state() {
        synchronized (stateLock) {
            return state;
        }
    }

    @Override
    public List<LinkStatus> links() {
        LinkStatus first = new LinkStatus(main.name(), main.state(), main.lastFailure());
        return subscriptions == main ? List.of(first)
                : List.of(first, new LinkStatus(subscriptions.name(), subscriptions.state(), subscriptions.lastFailure()));
    }

    @Override
    public CompletableFuture<ReconnectingSession> whenConnected() {
        synchronized (stateLock) {
            return connected.copy();
        }
    }

    @Override
    public void addStateListener(ConnectionStateListener listener) {
        notifier.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeStateListener(ConnectionStateListener listener) {
        notifier.remove(listener);
    }

    // ---- close ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> closeAsync() {
        TransportClosedException closedNow = new ClosedByApplication("The reconnecting session was closed by the "
                + "application (client.closeAsync()); open a new one with client.connectAsync(Reconnect)");
        CompletableFuture<ReconnectingSession> waiting;
        synchronized (stateLock) {
            if (closed != null) {
                return closing;
            }
            closed = closedNow;
            waiting = connected;
        }
        firstConnection.completeExceptionally(closedNow);
        waiting.completeExceptionally(closedNow);
        if (retryStep != null) {
            retryStep.closeAll(closedNow);
        }
        subscribeStep.closeAll(closedNow);
        CompletableFuture<Void> released = subscriptions == main ? main.close(closedNow)
                : CompletableFuture.allOf(main.close(closedNow), subscriptions.close(closedNow));
        released.whenComplete((ignored, failure) -> {
            onClosed.run();
            closing.complete(null);
        });
        return closing;
    }

    @Override
    public String toString() {
        return "ReconnectingSession{" + state() + ", " + main + (subscriptions == main ? "" : ", " + subscriptions) + '}';
    }

    @Override
    public java.util.concurrent.ScheduledExecutorService scheduler() {
        return context.scheduler();
    }
}

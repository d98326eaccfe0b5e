package dev.jgql.internal;

import dev.failsafe.AsyncExecution;
import dev.failsafe.Failsafe;
import dev.jgql.ConnectionState;
import dev.jgql.ConnectionStateListener;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.OperationType;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportServerException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The permanent session. One connection loop: the current link (or the future of the next one)
 * lives in {@link #link}; a failure seen on a link that is still current starts exactly one
 * reconnect, and failures seen on links already replaced are ignored. Every call waits on
 * {@link #link}, so requests made while reconnecting wait instead of failing.
 */
public final class ReconnectingSessionImpl implements ReconnectingSession {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSessionImpl.class);

    private final Transport transport;
    private final TransportContext context;
    private final Duration executeTimeout;
    private final Reconnect options;
    private final Runnable onClosed;
    private final InlineFirstScheduler retryScheduler;
    private final OrderedNotifier notifier = new OrderedNotifier();
    private final Set<CompletableFuture<?>> pendingCalls = ConcurrentHashMap.newKeySet();
    private final Set<ResumableSubscription<ExecutionResult>> subscriptions = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<ReconnectingSession> firstConnection = new CompletableFuture<>();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    private final Object lock = new Object();
    private ConnectionState state = ConnectionState.CONNECTING;
    private CompletableFuture<TransportConnection> link = new CompletableFuture<>();
    private TransportConnection current;
    private TransportConnection probing;
    private CompletableFuture<?> connecting;

    public ReconnectingSessionImpl(Transport transport, TransportContext context, Duration executeTimeout,
            Reconnect options, Runnable onClosed) {
        this.transport = transport;
        this.context = context;
        this.executeTimeout = executeTimeout;
        this.options = options;
        this.onClosed = onClosed;
        this.retryScheduler = new InlineFirstScheduler(context.scheduler());
    }

    /** Starts connecting; the future completes with the first link, or at once if so configured. */
    public CompletableFuture<ReconnectingSession> start() {
        synchronized (lock) {
            startConnecting(null);
        }
        return options.awaitFirstConnection() ? firstConnection : CompletableFuture.completedFuture(this);
    }

    // ---- the connection loop ------------------------------------------------------------------

    /** Starts one connect loop; with {@code reuse}, probes that link instead of opening a new one. Holds {@link #lock}. */
    private void startConnecting(TransportConnection reuse) {
        probing = reuse;
        CompletableFuture<TransportConnection> attempt = Failsafe.with(options.retryConnect()).with(retryScheduler)
                .getStageAsync(() -> openAndProbe(reuse));
        connecting = attempt;
        attempt.whenComplete((connection, failure) -> {
            if (failure == null) {
                linkUp(connection);
            } else {
                connectGaveUp(Futures.unwrap(failure));
            }
        });
    }

    private CompletableFuture<TransportConnection> openAndProbe(TransportConnection reuse) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<TransportConnection> opened = reuse != null ? CompletableFuture.completedFuture(reuse)
                : transport.connect(context);
        // closeAsync cancels the stages below, so a link that finishes opening after it is closed
        // here, on the transport's own future.
        opened.whenComplete((connection, failure) -> {
            if (connection != null && isClosed()) {
                connection.close();
            }
        });
        return opened.thenCompose(connection -> {
            synchronized (lock) {
                if (state != ConnectionState.CLOSED) {
                    probing = connection;
                }
            }
            if (isClosed()) {
                connection.close();
                throw Futures.asCompletionException(closedException());
            }
            if (!connection.needsProbe()) {
                return CompletableFuture.completedFuture(connection);
            }
            return Futures.within(connection.execute(options.probe()), executeTimeout, context.scheduler(),
                            () -> new TransportTimeoutException("The backend did not answer the probe within "
                                    + executeTimeout.toMillis() + " ms", executeTimeout))
                    .handle((answer, failure) -> {
                        Throwable cause = failure == null ? null : Futures.unwrap(failure);
                        if (isClosed()) {
                            connection.close();
                            throw Futures.asCompletionException(closedException());
                        }
                        if (cause == null || answeredAtAll(cause)) {
                            return connection;
                        }
                        if (connection != reuse) {
                            connection.close();
                        }
                        throw Futures.asCompletionException(cause);
                    });
        });
    }

    /** The server answered, if only with an error of the caller's making: it is reachable. */
    private static boolean answeredAtAll(Throwable failure) {
        return failure instanceof TransportServerException server
                && server.statusCode() >= 400 && server.statusCode() < 500 && server.statusCode() != 429
                && server.statusCode() != 408;
    }

    private void linkUp(TransportConnection connection) {
        ConnectionState from;
        CompletableFuture<TransportConnection> waiting;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                connection.close();
                return;
            }
            from = state;
            state = ConnectionState.CONNECTED;
            current = connection;
            probing = null;
            connecting = null;
            waiting = link;
        }
        LOG.debug("GraphQL link up ({} -> CONNECTED) via {}", from, transport);
        notifier.publish(from, ConnectionState.CONNECTED);
        waiting.complete(connection);
        firstConnection.complete(this);
        connection.whenClosed().thenAccept(reason -> linkLost(connection, reason));
    }

    private void connectGaveUp(Throwable failure) {
        CompletableFuture<TransportConnection> waiting;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            connecting = null;
            waiting = link;
            // The next call starts a new loop (see currentLink); until then calls fail fast.
            link = new CompletableFuture<>();
            link.completeExceptionally(failure);
        }
        LOG.warn("Gave up connecting to the GraphQL backend via {}: {}", transport, failure.toString());
        waiting.completeExceptionally(failure);
        if (options.awaitFirstConnection() && !firstConnection.isDone()) {
            firstConnection.completeExceptionally(failure);
            closeAsync();
        }
    }

    /** A link failed or closed: if it is still the current one, start the one reconnect. */
    private void linkLost(TransportConnection connection, Throwable reason) {
        boolean reuse;
        synchronized (lock) {
            if (state != ConnectionState.CONNECTED || current != connection) {
                return;
            }
            current = null;
            state = ConnectionState.RECONNECTING;
            link = new CompletableFuture<>();
            // A connection without a link of its own (HTTP) is still usable: probe it rather than
            // replacing it, so requests still in flight on it are not cut off.
            reuse = connection.needsProbe() && connection.isOpen();
            startConnecting(reuse ? connection : null);
        }
        LOG.info("GraphQL link lost ({}); reconnecting", reason.getMessage());
        if (!reuse) {
            connection.close();
        }
        notifier.publish(ConnectionState.CONNECTED, ConnectionState.RECONNECTING);
    }

    /** The link to use, or the future of the next one; restarts connecting if a loop gave up. */
    private CompletableFuture<TransportConnection> currentLink() {
        synchronized (lock) {
            if (link.isCompletedExceptionally() && state != ConnectionState.CLOSED && connecting == null) {
                link = new CompletableFuture<>();
                startConnecting(null);
            }
            return link;
        }
    }

    // ---- execute ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Map<String, Object>> execute(GraphQLRequest request) {
        return Futures.dataOf(executeForResult(request));
    }

    @Override
    public CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request) {
        Checks.executable(request);
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedException());
        }
        Call call = new Call(request);
        CompletableFuture<ExecutionResult> bounded = Futures.within(call.outcome, executeTimeout, context.scheduler(),
                call::timedOut);
        pendingCalls.add(bounded);
        bounded.whenComplete((result, failure) -> {
            pendingCalls.remove(bounded);
            call.retries.cancel(false);
            if (failure != null) {
                call.abandon();
            }
        });
        return bounded;
    }

    /** One execute: its attempts under the execute policy, and what they saw. */
    private final class Call {
        final GraphQLRequest request;
        final CompletableFuture<ExecutionResult> outcome = new CompletableFuture<>();
        final List<Throwable> failures = new ArrayList<>();
        final CompletableFuture<Object> retries;
        volatile Instant notBefore;
        private volatile CompletableFuture<ExecutionResult> inFlight;

        Call(GraphQLRequest request) {
            this.request = request;
            this.retries = Failsafe.with(options.retryExecute()).with(retryScheduler).getAsyncExecution(this::attempt);
            retries.whenComplete((result, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(withEarlierFailures(Futures.unwrap(failure)));
                } else {
                    outcome.complete((ExecutionResult) result);
                }
            });
        }

        void attempt(AsyncExecution<Object> execution) {
            if (isClosed()) {
                stop(execution, closedException());
                return;
            }
            Duration wait = notBefore == null ? Duration.ZERO : Duration.between(context.clock().instant(), notBefore);
            if (wait.compareTo(Duration.ZERO) > 0) {
                // The server asked for more patience (Retry-After) than the policy's backoff gave.
                notBefore = null;
                context.scheduler().schedule(() -> attempt(execution), wait.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
            TransportConnection[] used = new TransportConnection[1];
            currentLink().thenCompose(connection -> {
                used[0] = connection;
                inFlight = connection.execute(request);
                return inFlight;
            }).whenComplete((result, failure) -> {
                if (failure == null) {
                    execution.recordResult(result);
                    return;
                }
                Throwable cause = Futures.unwrap(failure);
                if (used[0] != null && cause instanceof TransportClosedException) {
                    linkLost(used[0], cause);
                }
                if (isClosed()) {
                    stop(execution, closedException());
                } else if (request.operationType() == OperationType.MUTATION && !options.retryUnsafeMutations()
                        && mayHaveBeenSent(cause, used[0])) {
                    // The server may have applied it: retrying could apply it twice.
                    stop(execution, cause);
                } else {
                    if (cause instanceof TransportServerException server && server.retryAfter().isPresent()) {
                        notBefore = context.clock().instant().plus(server.retryAfter().get());
                    }
                    synchronized (failures) {
                        failures.add(cause);
                    }
                    execution.recordException(cause);
                }
            });
        }

        /** The caller gave up (timeout, cancel, close): abandon the request on the wire too. */
        void abandon() {
            CompletableFuture<ExecutionResult> request = inFlight;
            if (request != null) {
                request.cancel(true);
            }
        }

        private void stop(AsyncExecution<Object> execution, Throwable failure) {
            outcome.completeExceptionally(withEarlierFailures(failure));
            execution.complete();
        }

        /** The last failure itself, the earlier ones attached as suppressed. */
        private Throwable withEarlierFailures(Throwable last) {
            synchronized (failures) {
                for (Throwable earlier : failures) {
                    if (earlier != last) {
                        last.addSuppressed(earlier);
                    }
                }
                failures.clear();
            }
            return last;
        }

        RuntimeException timedOut() {
            synchronized (failures) {
                if (!failures.isEmpty()) {
                    Throwable last = failures.remove(failures.size() - 1);
                    if (last instanceof RuntimeException runtime) {
                        return (RuntimeException) withEarlierFailures(runtime);
                    }
                }
            }
            return new TransportTimeoutException("No answer to " + request + " within the execute timeout of "
                    + executeTimeout.toMillis() + " ms (session " + state() + ")"
                    + (request.operationType() == OperationType.MUTATION ? "; the mutation may have been applied" : ""),
                    executeTimeout);
        }
    }

    /** Whether a failed request may have reached the server; a request that never got a link did not. */
    private static boolean mayHaveBeenSent(Throwable failure, TransportConnection used) {
        if (used == null) {
            return false;
        }
        return !(failure instanceof TransportConnectionFailedException failed) || failed.requestMayHaveBeenSent();
    }

    // ---- subscriptions ------------------------------------------------------------------------

    @Override
    public Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request) {
        return new DataPublisher(subscribeForResults(request));
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request) {
        Objects.requireNonNull(request, "request");
        return downstream -> {
            TransportConnection[] used = new TransportConnection[1];
            GraphQLRequest[] running = {request};
            ResumableSubscription<ExecutionResult>[] self = new ResumableSubscription[1];
            self[0] = new ResumableSubscription<>(downstream,
                    (failure, lastEvent) -> afterBreak(failure, lastEvent, used, running),
                    () -> subscriptions.remove(self[0]));
            subscriptions.add(self[0]);
            if (isClosed()) {
                self[0].start(CompletableFuture.failedFuture(closedException()));
                return;
            }
            CompletableFuture<Flow.Publisher<ExecutionResult>> first = Futures.within(currentLink(), executeTimeout,
                            context.scheduler(), () -> new TransportTimeoutException("No link to the backend within "
                                    + executeTimeout.toMillis() + " ms to start " + request, executeTimeout))
                    .thenApply(connection -> {
                        used[0] = connection;
                        return connection.subscribe(request);
                    });
            self[0].start(first);
        };
    }

    private CompletableFuture<ResumableSubscription.Restart<ExecutionResult>> afterBreak(Throwable failure,
            ExecutionResult lastEvent, TransportConnection[] used, GraphQLRequest[] running) {
        if (used[0] != null && failure instanceof TransportClosedException) {
            linkLost(used[0], failure);
        }
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedException());
        }
        Reconnect.ResubscribeHook hook = options.resubscribeHook();
        if (hook == null || !(failure instanceof TransportClosedException)) {
            return CompletableFuture.failedFuture(failure);
        }
        // Wait as long as it takes: the subscriber asked to survive reconnects.
        return currentLink().thenApply(connection -> {
            GraphQLRequest next = hook.next(running[0], lastEvent);
            running[0] = next;
            used[0] = connection;
            return new ResumableSubscription.Restart<>(connection.subscribe(next), next);
        });
    }

    // ---- state and close ------------------------------------------------------------------------

    @Override
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    private boolean isClosed() {
        return state() == ConnectionState.CLOSED;
    }

    @Override
    public void addStateListener(ConnectionStateListener listener) {
        notifier.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeStateListener(ConnectionStateListener listener) {
        notifier.remove(listener);
    }

    private static TransportClosedException closedException() {
        return new TransportClosedException("The reconnecting session was closed by the application");
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        ConnectionState from;
        TransportConnection connection;
        CompletableFuture<?> loop;
        CompletableFuture<TransportConnection> waiting;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return closing;
            }
            from = state;
            state = ConnectionState.CLOSED;
            connection = current != null ? current : probing;
            current = null;
            probing = null;
            loop = connecting;
            connecting = null;
            waiting = link;
        }
        TransportClosedException closed = closedException();
        if (loop != null) {
            loop.cancel(true);
        }
        waiting.completeExceptionally(closed);
        firstConnection.completeExceptionally(closed);
        for (CompletableFuture<?> call : pendingCalls) {
            call.completeExceptionally(closed);
        }
        for (ResumableSubscription<ExecutionResult> subscription : subscriptions) {
            subscription.fail(closed);
        }
        notifier.publish(from, ConnectionState.CLOSED);
        CompletableFuture<Void> released = connection == null ? CompletableFuture.completedFuture(null) : connection.close();
        released.whenComplete((ignored, failure) -> {
            onClosed.run();
            closing.complete(null);
        });
        return closing;
    }
}

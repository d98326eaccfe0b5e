package dev.jgql.internal;

import dev.failsafe.Failsafe;
import dev.jgql.ClientEventListener;
import dev.jgql.ConnectionState;
import dev.jgql.Reconnect;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps one link of the permanent session up: one connect loop at a time under the connect policy
 * ({@link Reconnect.Builder#retryConnect}), however many calls see the link fail. It knows no
 * protocol: what a (re)connect means is the transport's business ({@link Transport#connect},
 * {@link Transport#reconnect}).
 *
 * <h2>Transitions</h2>
 * Each is taken under {@link #lock}; what it sets off (events, futures, the next loop) happens
 * after the lock is released.
 * <table>
 *   <caption>The link's states</caption>
 *   <tr><th>state</th><th>event</th><th>next state</th><th>what happens</th></tr>
 *   <tr><td>CONNECTING</td><td>an attempt succeeded</td><td>CONNECTED</td><td>calls waiting for the link get it</td></tr>
 *   <tr><td>CONNECTING, RECONNECTING</td><td>an attempt failed</td><td>unchanged</td><td>event and (rate-limited) warning
 *       with the cause and the delay; the next attempt after the policy's delay, within the demand interval while
 *       calls wait</td></tr>
 *   <tr><td>CONNECTING, RECONNECTING</td><td>the policy gave up</td><td>unchanged, idle</td><td>waiting calls fail with
 *       the last failure; the next call that asks for the link starts a new loop</td></tr>
 *   <tr><td>CONNECTED</td><td>the link broke (it closed, or a call saw it fail)</td><td>RECONNECTING</td><td>a loop
 *       starts: {@link Transport#reconnect} with the broken connection</td></tr>
 *   <tr><td>RECONNECTING</td><td>an attempt succeeded</td><td>CONNECTED</td><td>as from CONNECTING</td></tr>
 *   <tr><td>any but CLOSED</td><td>close</td><td>CLOSED</td><td>the loop is cancelled, waiting calls fail, the link
 *       closes</td></tr>
 * </table>
 * A failure seen on a connection that is no longer the current one changes nothing.
 */
final class LinkSupervisor implements LinkSource {
    private static final Logger LOG = LoggerFactory.getLogger(LinkSupervisor.class);

    /** What the session learns from its links. */
    interface Owner {
        /** The link changed state. */
        void stateChanged(LinkSupervisor link, ConnectionState from, ConnectionState to);

        /** The connect policy gave up (the link stays down until a call asks for it). */
        void gaveUp(LinkSupervisor link, Throwable failure);

        /** The session's closed failure once it is closed, else null. */
        Throwable closedOrNull();
    }

    private final String name;
    private final Transport transport;
    private final TransportContext context;
    private final Reconnect options;
    private final Events events;
    private final Owner owner;
    private final DemandScheduler retries;
    private final RateLimitedLog warnings;

    private final Object lock = new Object();
    // guarded by lock
    private ConnectionState state = ConnectionState.CONNECTING;
    /** Written under the lock; volatile so that calls find a link that is up without taking it. */
    private volatile CompletableFuture<TransportConnection> link = new CompletableFuture<>();
    private TransportConnection current;
    private TransportConnection broken;
    private TransportConnection watched;
    private CompletableFuture<TransportConnection> loop;
    private int failedAttempts;
    private Throwable lastFailure;
    private Throwable unreported;

    LinkSupervisor(String name, Transport transport, TransportContext context, Reconnect options, Duration demandWindow,
            Events events, Owner owner) {
        this.name = name;
        this.transport = transport;
        this.context = context;
        this.options = options;
        this.events = events;
        this.owner = owner;
        this.retries = new DemandScheduler(context.scheduler(), context.clock(), options.demandInterval(), demandWindow,
                this::retryScheduled);
        this.warnings = new RateLimitedLog(context.clock(), Duration.ofMinutes(1));
    }

    @Override
    public String name() {
        return name;
    }

    /** Starts the first connect loop. */
    void start() {
        CompletableFuture<TransportConnection> marker = new CompletableFuture<>();
        synchronized (lock) {
            loop = marker;
        }
        launch(marker);
    }

    ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public Throwable lastFailure() {
        synchronized (lock) {
            return lastFailure;
        }
    }

    @Override
    public CompletableFuture<TransportConnection> link() {
        CompletableFuture<TransportConnection> up = link;
        if (up.isDone() && !up.isCompletedExceptionally()) {
            return up; // every call while the link is up: no lock shared by all the callers
        }
        CompletableFuture<TransportConnection> restart = null;
        CompletableFuture<TransportConnection> result;
        synchronized (lock) {
            if (link.isCompletedExceptionally() && state != ConnectionState.CLOSED && loop == null) {
                link = new CompletableFuture<>();
                restart = new CompletableFuture<>();
                loop = restart;
            }
            result = link;
        }
        if (restart != null) {
            launch(restart);
        }
        if (!result.isDone()) {
            retries.demand();
        }
        return result;
    }

    @Override
    public void failed(TransportConnection connection, Throwable cause) {
        lost(connection, cause);
    }

    // ---- the loop ---------------------------------------------------------------------------

    private void launch(CompletableFuture<TransportConnection> marker) {
        CompletableFuture<TransportConnection> attempts;
        try {
            attempts = Failsafe.with(options.retryConnect()).with(retries).getStageAsync(this::attemptOnce);
        } catch (RuntimeException e) {
            attempts = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<TransportConnection> running = attempts;
        marker.whenComplete((ignored, failure) -> {
            if (marker.isCancelled()) {
                running.cancel(true);
            }
        });
        attempts.whenComplete((connection, failure) -> {
            if (failure == null) {
                up(connection, marker);
            } else {
                gaveUp(Futures.unwrap(failure), marker);
            }
        });
    }

    private CompletableFuture<TransportConnection> attemptOnce() {
        TransportConnection previous;
        Throwable closed = owner.closedOrNull();
        if (closed != null) {
            return CompletableFuture.failedFuture(closed);
        }
        synchronized (lock) {
            previous = broken;
        }
        CompletableFuture<TransportConnection> opened;
        try {
            opened = previous == null ? transport.connect(context) : transport.reconnect(previous, context);
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        // A link that finishes opening after close is closed here, on the transport's own future
        // (the stage below may have been cancelled by then, and would not run).
        opened.whenComplete((connection, failure) -> {
            if (connection != null && owner.closedOrNull() != null) {
                connection.close();
            }
        });
        // A dependent stage, so that a failure is recorded before Failsafe sees it and asks for a delay.
        return opened.handle((connection, failure) -> {
            Throwable closedNow = owner.closedOrNull();
            if (connection != null && closedNow != null) {
                throw Futures.asCompletionException(closedNow);
            }
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                synchronized (lock) {
                    failedAttempts++;
                    lastFailure = cause;
                    unreported = cause;
                }
                throw Futures.asCompletionException(cause);
            }
            return connection;
        });
    }

    /** Failsafe scheduled the next attempt: report the failure that caused it. */
    private void retryScheduled(long delayNanos) {
        Throwable cause;
        int attempt;
        synchronized (lock) {
            cause = unreported;
            unreported = null;
            attempt = failedAttempts;
        }
        if (cause == null) {
            return;
        }
        Duration delay = Duration.ofNanos(delayNanos);
        events.emit(listener -> listener.connectFailed(new ClientEventListener.ConnectFailed(name, attempt, cause, delay)));
        long left = warnings.permit();
        if (left >= 0) {
            LOG.warn("Could not connect the GraphQL link '{}' via {} (attempt {}{}, next in {} ms): {}", name,
                    transport, attempt, left == 0 ? "" : ", " + left + " failures since the last warning",
                    delay.toMillis(), cause.toString());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Could not connect the GraphQL link '{}' (attempt {}, next in {} ms): {}", name, attempt,
                    delay.toMillis(), cause.toString());
        }
    }

    private void up(TransportConnection connection, CompletableFuture<TransportConnection> marker) {
        ConnectionState from;
        CompletableFuture<TransportConnection> waiting;
        int failures;
        boolean watch;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || loop != marker) {
                from = null;
                waiting = null;
                failures = 0;
                watch = false;
            } else {
                from = state;
                state = ConnectionState.CONNECTED;
                current = connection;
                broken = null;
                loop = null;
                waiting = link;
                failures = failedAttempts;
                failedAttempts = 0;
                lastFailure = null;
                unreported = null;
                watch = watched != connection;
                watched = connection;
            }
        }
        if (from == null) {
            if (owner.closedOrNull() != null) {
                connection.close();
            }
            return;
        }
        warnings.reset();
        if (from == ConnectionState.RECONNECTING || failures > 0) {
            // Pairs the warning that the link was lost (or could not be opened).
            LOG.info("The GraphQL link '{}' via {} is up again{}", name, transport,
                    failures == 0 ? "" : " after " + failures + " failed attempts");
        } else {
            LOG.debug("The GraphQL link '{}' via {} is up ({} -> CONNECTED)", name, transport, from);
        }
        owner.stateChanged(this, from, ConnectionState.CONNECTED);
        waiting.complete(connection);
        if (watch) {
            connection.whenClosed().thenAccept(reason -> lost(connection, reason));
        }
    }

    private void gaveUp(Throwable failure, CompletableFuture<TransportConnection> marker) {
        CompletableFuture<TransportConnection> waiting;
        int attempt;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || loop != marker) {
                return;
            }
            loop = null;
            waiting = link;
            // The next call starts a new loop (see link()); until then calls fail at once.
            link = CompletableFuture.failedFuture(failure);
            attempt = failedAttempts;
            unreported = null;
        }
        retries.cancel();
        events.emit(listener -> listener.connectFailed(new ClientEventListener.ConnectFailed(name, attempt, failure, null)));
        LOG.warn("Gave up connecting the GraphQL link '{}' via {} after {} attempts: {}; the next call starts again",
                name, transport, attempt, failure.toString());
        waiting.completeExceptionally(failure);
        owner.gaveUp(this, failure);
    }

    /** The link broke: if it is still the current one, start the one reconnect. */
    private void lost(TransportConnection connection, Throwable reason) {
        CompletableFuture<TransportConnection> marker;
        synchronized (lock) {
            if (state != ConnectionState.CONNECTED || current != connection) {
                return;
            }
            current = null;
            broken = connection;
            state = ConnectionState.RECONNECTING;
            link = new CompletableFuture<>();
            marker = new CompletableFuture<>();
            loop = marker;
        }
        LOG.warn("The GraphQL link '{}' via {} was lost ({}); reconnecting", name, transport, reason.getMessage());
        owner.stateChanged(this, ConnectionState.CONNECTED, ConnectionState.RECONNECTING);
        launch(marker);
    }

    /** Closes the link: the loop stops, waiting calls fail with {@code closed}, the connection closes. */
    CompletableFuture<Void> close(Throwable closed) {
        ConnectionState from;
        TransportConnection connection;
        CompletableFuture<TransportConnection> running;
        CompletableFuture<TransportConnection> waiting;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return CompletableFuture.completedFuture(null);
            }
            from = state;
            state = ConnectionState.CLOSED;
            connection = current != null ? current : broken;
            current = null;
            broken = null;
            running = loop;
            loop = null;
            waiting = link;
        }
        retries.cancel();
        if (running != null) {
            running.cancel(true);
        }
        waiting.completeExceptionally(closed);
        owner.stateChanged(this, from, ConnectionState.CLOSED);
        return connection == null ? CompletableFuture.completedFuture(null) : connection.close();
    }

    @Override
    public String toString() {
        return "link '" + name + "' via " + transport + " (" + state() + ")";
    }
}

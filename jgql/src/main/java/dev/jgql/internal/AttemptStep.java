package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.OperationType;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.transport.TransportConnection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last step of an execute: one attempt, bounded by the call's timeout (the client's execute
 * timeout unless the call sets its own, and never past its deadline). It gets the link (waiting for
 * it while it is down, or failing at once for a fail-fast call), hands the call to the transport,
 * tells the link source when a failure says the link broke, and tells the connection when an
 * attempt went unanswered (so it can check whether it is dead). A timeout while waiting for the
 * link says nothing was sent and carries the last connect failure as its cause.
 */
final class AttemptStep implements GraphQLInterceptor {
    private final LinkSource links;
    private final Duration defaultTimeout;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    AttemptStep(LinkSource links, Duration defaultTimeout, ScheduledExecutorService scheduler, Clock clock) {
        this.links = links;
        this.defaultTimeout = defaultTimeout;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain end) {
        EventsStep.countAttempt(call);
        CompletableFuture<TransportConnection> link = links.link();
        if (!link.isDone() && call.options().failFast()) {
            Throwable last = links.lastFailure();
            return CompletableFuture.failedFuture(new LinkDownException("The link to the GraphQL backend ("
                    + links.name() + ") is down" + (last == null ? "" : " (" + last.getMessage() + ")")
                    + "; the call was not sent because it fails fast (CallOptions.failFast)", last));
        }
        Duration timeout = call.options().timeout().orElse(defaultTimeout);
        Instant deadline = DeadlineStep.deadline(call);
        if (deadline != null) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.compareTo(timeout) < 0) {
                return new Attempt(call, left.isNegative() || left.isZero() ? Duration.ofNanos(1) : left,
                        "remaining deadline").run(link);
            }
        }
        return new Attempt(call, timeout, call.options().timeout().isPresent() ? "call's timeout"
                : "execute timeout").run(link);
    }

    /** One attempt: its link, its request on the wire, its timer. */
    private final class Attempt {
        private final GraphQLCall call;
        private final Duration timeout;
        private final String bound;
        private final CompletableFuture<ExecutionResult> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled) { // not once the attempt has ended: its caller may be on to the next call
                    abandon();
                    ScheduledFuture<?> running = timer;
                    if (running != null) {
                        running.cancel(false);
                    }
                }
                return cancelled;
            }
        };
        private volatile TransportConnection connection;
        private volatile CompletableFuture<ExecutionResult> sent;
        /** The caller whose own thread may be doing the exchange (a blocking caller), or null. */
        private volatile BlockingCaller inline;
        private volatile ScheduledFuture<?> timer;

        Attempt(GraphQLCall call, Duration timeout, String bound) {
            this.call = call;
            this.timeout = timeout;
            this.bound = bound;
        }

        CompletableFuture<ExecutionResult> run(CompletableFuture<TransportConnection> link) {
            try {
                timer = scheduler.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(new TransportClosedException("The client is closed", e));
            }
            if (link.isDone() && !link.isCompletedExceptionally()) {
                send(link.getNow(null));
            } else {
                link.whenComplete((ready, failure) -> {
                    if (failure != null) {
                        finish(null, Futures.unwrap(failure));
                    } else {
                        send(ready);
                    }
                });
            }
            return result;
        }

        private void send(TransportConnection ready) {
            if (result.isDone()) {
                return;
            }
            connection = ready;
            // A caller that blocks on this call may do the exchange on its own thread (see BlockingCaller).
            BlockingCaller caller = BlockingCaller.current();
            if (caller != null) {
                inline = caller;
                caller.arm(this);
            }
            CompletableFuture<ExecutionResult> request;
            try {
                request = ready.execute(call);
            } catch (RuntimeException e) {
                request = CompletableFuture.failedFuture(e);
            } finally {
                if (caller != null) {
                    caller.disarm();
                }
            }
            sent = request;
            if (result.isDone()) {
                request.cancel(true); // timed out or cancelled while handing it over
                return;
            }
            request.whenComplete(this::finish);
        }

        private void finish(ExecutionResult value, Throwable failure) {
            if (failure == null) {
                result.complete(value);
            } else {
                Throwable cause = Futures.unwrap(failure);
                TransportConnection used = connection;
                if (used != null && cause instanceof TransportClosedException) {
                    links.failed(used, cause);
                }
                result.completeExceptionally(cause);
            }
            ScheduledFuture<?> running = timer;
            if (running != null) {
                running.cancel(false);
            }
        }

        private void timedOut() {
            TransportConnection used = connection;
            if (used == null) {
                Throwable last = links.lastFailure();
                result.completeExceptionally(new TransportTimeoutException("No link to the GraphQL backend ("
                        + links.name() + ") within the " + bound + " of " + timeout.toMillis() + " ms, so "
                        + call.request() + " was not sent" + (last == null ? "" : ". Why the link is down: "
                        + last.getMessage()), timeout, false, last));
                return;
            }
            if (result.isDone()) {
                return;
            }
            // Told first, before the caller hears of the timeout and sends its next call on this link.
            used.timedOut(call);
            boolean mutation = call.request().operationType() == OperationType.MUTATION;
            if (result.completeExceptionally(new TransportTimeoutException("No answer to " + call.request()
                    + " within the " + bound + " of " + timeout.toMillis() + " ms; the request was cancelled"
                    + (mutation ? " and may have been applied" : ""), timeout, true, null))) {
                abandon();
            }
        }

        /** The caller gave up (timeout, cancel): abandon the request on the wire too. */
        private void abandon() {
            BlockingCaller caller = inline;
            if (caller != null) {
                caller.cancelInline(this);
            }
            CompletableFuture<ExecutionResult> request = sent;
            if (request != null) {
                request.cancel(true);
            }
        }
    }
}

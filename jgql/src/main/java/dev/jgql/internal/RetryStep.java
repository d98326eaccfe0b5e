package dev.jgql.internal;

import dev.failsafe.AsyncExecution;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.spi.Scheduler;
import dev.jgql.ClientEventListener;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.JgqlException;
import dev.jgql.OperationType;
import dev.jgql.Reconnect;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportServerException;
import dev.jgql.TransportTimeoutException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The permanent session's execute retries, as a step of the pipeline: the attempts below it run
 * under the execute policy ({@link Reconnect.Builder#retryExecute}), with jgql's own rules on top
 * of any policy: a mutation that may have reached the server is retried only when the call says it
 * is idempotent (or {@link Reconnect.Builder#retryUnsafeMutations}); failures that are not
 * transport failures (a local mistake) are never retried; a server's {@code Retry-After} is
 * waited, up to {@link Reconnect#maxRetryAfter()}; no retry is scheduled past the call's deadline.
 * When retries end, the caller gets the last failure with the earlier ones attached as suppressed.
 *
 * <p>With the default policy the first attempt runs without Failsafe at all, so a call that
 * succeeds at once costs one future; Failsafe takes over at the first failure, counting that
 * attempt. A policy of the application's runs under Failsafe from the first attempt, so that its
 * result conditions see every result.
 */
final class RetryStep implements GraphQLInterceptor {
    private final Reconnect options;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Events events;
    private final Supplier<Throwable> closedOrNull;
    /** Calls waiting out a delay between attempts, failed at once when the session closes. */
    private final Set<RetryingCall> waiting = ConcurrentHashMap.newKeySet();

    /**
     * @param closedOrNull the session's closed failure once it is closed, {@code null} while open
     */
    RetryStep(Reconnect options, ScheduledExecutorService scheduler, Clock clock, Events events,
            Supplier<Throwable> closedOrNull) {
        this.options = options;
        this.scheduler = scheduler;
        this.clock = clock;
        this.events = events;
        this.closedOrNull = closedOrNull;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        if (!call.options().retry()) {
            return chain.proceed(call);
        }
        return new RetryingCall(call, chain).start();
    }

    /** Fails every call waiting between attempts: the session closed. */
    void closeAll(Throwable closed) {
        for (RetryingCall call : waiting) {
            call.stop(closed);
        }
        waiting.clear();
    }

    /** Whether a failed request may have reached the server, as far as its failure tells. */
    static boolean mayHaveBeenSent(Throwable failure) {
        if (failure instanceof TransportConnectionFailedException connection) {
            return connection.requestMayHaveBeenSent();
        }
        if (failure instanceof TransportTimeoutException timeout) {
            return timeout.requestMayHaveBeenSent();
        }
        return !(failure instanceof ClosedByApplication);
    }

    /** One call's attempts. */
    private final class RetryingCall implements Scheduler {
        private final GraphQLCall call;
        private final Chain chain;
        private final Instant deadline;
        private final long callId;
        private final CompletableFuture<ExecutionResult> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                abandon();
                return cancelled;
            }
        };
        private volatile CompletableFuture<ExecutionResult> inFlight;
        private volatile CompletableFuture<Object> failsafe;
        private volatile ScheduledFuture<?> delay;
        /** Failsafe's first invocation only counts a failure already seen: it runs at once, whatever Retry-After says. */
        private volatile boolean countingFirst;
        // guarded by this
        private List<Throwable> failures;
        private Throwable lastFailure;
        private int attempts;
        private Instant notBefore;

        RetryingCall(GraphQLCall call, Chain chain) {
            this.call = call;
            this.chain = chain;
            this.deadline = DeadlineStep.deadline(call);
            this.callId = events.enabled() ? events.nextId() : 0;
        }

        CompletableFuture<ExecutionResult> start() {
            if (options.hasDefaultExecutePolicy()) {
                attempt(null);
            } else {
                underPolicy(null);
            }
            return result;
        }

        /** One attempt; {@code execution} is null until Failsafe takes over. */
        private void attempt(AsyncExecution<Object> execution) {
            if (result.isDone()) {
                if (execution != null) {
                    execution.complete();
                }
                return;
            }
            Throwable closed = closedOrNull.get();
            if (closed != null) {
                stop(closed);
                return;
            }
            synchronized (this) {
                attempts++;
            }
            CompletableFuture<ExecutionResult> attempt = chain.proceed(call);
            inFlight = attempt;
            attempt.whenComplete((value, failure) -> {
                if (failure == null) {
                    if (execution != null) {
                        execution.recordResult(value); // the policy may want to see results
                    } else {
                        result.complete(value);
                    }
                } else {
                    failed(Futures.unwrap(failure), execution);
                }
            });
        }

        private void failed(Throwable cause, AsyncExecution<Object> execution) {
            if (result.isDone()) {
                return;
            }
            Throwable closed = closedOrNull.get();
            if (closed != null) {
                stop(closed);
                return;
            }
            if (!mayRetry(cause)) {
                stop(cause);
                return;
            }
            synchronized (this) {
                if (failures == null) {
                    failures = new ArrayList<>(4);
                }
                failures.add(cause);
                lastFailure = cause;
                if (cause instanceof TransportServerException server && server.retryAfter().isPresent()) {
                    notBefore = clock.instant().plus(server.retryAfter().get());
                }
            }
            if (execution == null) {
                underPolicy(cause);
            } else {
                execution.recordException(cause);
            }
        }

        private boolean mayRetry(Throwable cause) {
            if (cause instanceof JgqlException && !(cause instanceof TransportException)) {
                return false; // a local mistake (validation, usage): the same call fails the same way
            }
            if (cause instanceof ClosedByApplication || cause instanceof LinkDownException) {
                return false; // the session closed; or the call asked to fail at once while the link is down
            }
            if (call.request().operationType() == OperationType.MUTATION && !call.options().idempotent()
                    && !options.retryUnsafeMutations() && mayHaveBeenSent(cause)) {
                return false; // the server may have applied it: retrying could apply it twice
            }
            return true;
        }

        /** Runs the attempts under Failsafe, the first failure (if any) already counted. */
        private void underPolicy(Throwable firstFailure) {
            AtomicBoolean counted = new AtomicBoolean(firstFailure == null);
            countingFirst = firstFailure != null;
            CompletableFuture<Object> run = Failsafe.with(options.retryExecute()).with(this).getAsyncExecution(execution -> {
                if (counted.compareAndSet(false, true)) {
                    execution.recordException(firstFailure);
                } else {
                    attempt(execution);
                }
            });
            failsafe = run;
            run.whenComplete((value, failure) -> {
                if (failure != null) {
                    stop(Futures.unwrap(failure));
                } else {
                    result.complete((ExecutionResult) value);
                }
            });
        }

        /** Failsafe asks for the next attempt after {@code delay}: wait longer for Retry-After, never past the deadline. */
        @Override
        public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
            if (countingFirst) {
                countingFirst = false;
                return RanNow.run(callable);
            }
            Duration wait = Duration.ofNanos(unit.toNanos(delay));
            Throwable last;
            int failedAttempt;
            synchronized (this) {
                if (notBefore != null) {
                    Duration asked = Duration.between(clock.instant(), notBefore);
                    notBefore = null;
                    if (asked.compareTo(options.maxRetryAfter()) > 0) {
                        giveUp();
                        return RanNow.run(() -> null);
                    }
                    if (asked.compareTo(wait) > 0) {
                        wait = asked;
                    }
                }
                last = lastFailure;
                failedAttempt = attempts;
            }
            if (wait.isZero() || wait.isNegative()) {
                return RanNow.run(callable);
            }
            if (deadline != null && !clock.instant().plus(wait).isBefore(deadline)) {
                giveUp();
                return RanNow.run(() -> null);
            }
            if (events.enabled()) {
                Duration scheduled = wait;
                String name = call.request().selectedOperationName().orElse("");
                events.emit(listener -> listener.retryScheduled(new ClientEventListener.RetryScheduled(callId, name,
                        failedAttempt, scheduled, last)));
            }
            waiting.add(this);
            try {
                ScheduledFuture<?> timer = scheduler.schedule(() -> {
                    waiting.remove(this);
                    return callable.call();
                }, wait.toNanos(), TimeUnit.NANOSECONDS);
                this.delay = timer;
                return timer;
            } catch (RejectedExecutionException e) {
                waiting.remove(this);
                stop(new TransportClosedException("The client is closed", e));
                return RanNow.run(() -> null);
            }
        }

        /** No more attempts: the caller gets the last failure. */
        private void giveUp() {
            Throwable last;
            synchronized (this) {
                last = lastFailure;
            }
            stop(last);
        }

        /** Ends the call with this failure, the earlier ones attached. */
        void stop(Throwable failure) {
            if (result.isDone()) {
                return;
            }
            synchronized (this) {
                if (failures != null) {
                    List<Throwable> attached = List.of(failure.getSuppressed());
                    for (Throwable earlier : failures) {
                        if (earlier != failure && !attached.contains(earlier)) {
                            failure.addSuppressed(earlier);
                        }
                    }
                    failures = null;
                }
            }
            result.completeExceptionally(failure);
            abandon();
        }

        /** The caller gave up or the call ended: stop what is in flight or waiting. */
        private void abandon() {
            waiting.remove(this);
            ScheduledFuture<?> pending = delay;
            if (pending != null) {
                pending.cancel(false);
            }
            CompletableFuture<Object> run = failsafe;
            if (run != null) {
                run.cancel(false);
            }
            CompletableFuture<ExecutionResult> attempt = inFlight;
            if (attempt != null && !attempt.isDone()) {
                attempt.cancel(true);
            }
        }
    }
}

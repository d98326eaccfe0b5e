package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.JgqlException;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Small helpers for futures: bounding them in time and waiting for them. */
public final class Futures {
    private Futures() {
    }

    /**
     * A future that completes like {@code call}, or with {@code onTimeout} once {@code timeout}
     * has passed on the scheduler's clock, cancelling {@code call}. Cancelling the result cancels
     * {@code call} too.
     */
    public static <T> CompletableFuture<T> within(CompletableFuture<T> call, Duration timeout,
            ScheduledExecutorService scheduler, Supplier<? extends RuntimeException> onTimeout) {
        if (call.isDone()) {
            return call;
        }
        CompletableFuture<T> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(() -> {
                if (bounded.completeExceptionally(onTimeout.get())) {
                    call.cancel(true);
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            call.cancel(true);
            return CompletableFuture.failedFuture(new TransportClosedException("The client is closed", e));
        }
        call.whenComplete((value, failure) -> {
            timer.cancel(false);
            if (failure != null) {
                bounded.completeExceptionally(unwrap(failure));
            } else {
                bounded.complete(value);
            }
        });
        bounded.whenComplete((value, failure) -> {
            if (bounded.isCancelled()) {
                call.cancel(true);
            }
        });
        return bounded;
    }

    /**
     * The data of a result, or a failure with {@link TransportQueryException} when it has errors.
     * Cancelling the returned future cancels the call.
     */
    public static CompletableFuture<Map<String, Object>> dataOf(CompletableFuture<ExecutionResult> call) {
        // One future and one dependent per call (this is on every execute's path).
        CompletableFuture<Map<String, Object>> data = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                call.cancel(true);
                return cancelled;
            }
        };
        call.whenComplete((result, failure) -> {
            if (failure != null) {
                data.completeExceptionally(unwrap(failure));
            } else if (result.hasErrors()) {
                data.completeExceptionally(new TransportQueryException(result));
            } else {
                data.complete(result.data());
            }
        });
        return data;
    }

    /** Wraps a failure so it can be thrown from a dependent stage and reach the caller unchanged. */
    public static CompletionException asCompletionException(Throwable failure) {
        return failure instanceof CompletionException completion ? completion : new CompletionException(failure);
    }

    /** Strips the {@link CompletionException} wrappers that dependent stages add. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Waits for a future whose completion is already bounded in time, and rethrows its failure
     * unwrapped: jgql's own exceptions as they are, anything else inside a {@link TransportException}.
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransportException("Interrupted while waiting for the server; the request was cancelled", e);
        } catch (ExecutionException | CompletionException e) {
            throw asUnchecked(unwrap(e));
        } catch (java.util.concurrent.CancellationException e) {
            throw new TransportException("The request was cancelled", e);
        }
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new JgqlException("Unexpected failure: " + failure, failure);
    }
}

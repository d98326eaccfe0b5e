package dev.jgql.internal;

import dev.failsafe.spi.Scheduler;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Failsafe's scheduler for session retries: an attempt without delay (the first one) runs on the
 * calling thread, so an execute that succeeds at once costs no thread hop; delayed attempts go to
 * the client's scheduler, so a fake scheduler drives backoff in tests.
 */
final class InlineFirstScheduler implements Scheduler {
    private final ScheduledExecutorService delegate;

    InlineFirstScheduler(ScheduledExecutorService delegate) {
        this.delegate = delegate;
    }

    @Override
    public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
        if (delay > 0) {
            return delegate.schedule(callable, delay, unit);
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        try {
            done.complete(callable.call());
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return new CompletedScheduledFuture(done);
    }

    private static final class CompletedScheduledFuture implements ScheduledFuture<Object> {
        private final CompletableFuture<Object> done;

        CompletedScheduledFuture(CompletableFuture<Object> done) {
            this.done = done;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return done.join();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return done.join();
        }
    }
}

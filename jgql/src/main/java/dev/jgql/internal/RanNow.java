package dev.jgql.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The handle of a task that ran at once. */
final class RanNow implements ScheduledFuture<Object> {
    private final Object value;
    private final Exception failure;

    private RanNow(Object value, Exception failure) {
        this.value = value;
        this.failure = failure;
    }

    static RanNow run(Callable<?> callable) {
        try {
            return new RanNow(callable.call(), null);
        } catch (Exception e) {
            return new RanNow(null, e);
        }
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
    public Object get() throws ExecutionException {
        if (failure != null) {
            throw new ExecutionException(failure);
        }
        return value;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws ExecutionException {
        return get();
    }
}

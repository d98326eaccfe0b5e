package dev.jgql.transport.ws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one connection, on the client's scheduler (so that a fake scheduler drives them
 * in tests). A timer that throws is logged, never lost silently; when the scheduler is already shut
 * down, the task runs at once on the connection's executor, so that an ending still happens.
 */
final class Timers {
    private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final String where;

    Timers(ScheduledExecutorService scheduler, Executor executor, String where) {
        this.scheduler = scheduler;
        this.executor = executor;
        this.where = where;
    }

    /** Runs {@code task} after {@code delay}; the handle may be {@code null} if it ran at once. */
    ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        try {
            return scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A WebSocket timer for {} failed", where, e);
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("The scheduler is shut down; a WebSocket timer for {} runs now", where);
            deliver(task);
            return null;
        }
    }

    /** Runs a task on the connection's executor, or here if it is shut down. */
    void deliver(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closedExecutor) {
            task.run();
        }
    }

    static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}

package dev.jgql.internal;

import dev.failsafe.spi.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Failsafe's scheduler for a connect loop: the policy's backoff protects a backend nobody is
 * waiting for, but while calls wait for the link, the next attempt comes within the demand
 * interval (about a second) however far the backoff has grown, so that the first request after the
 * backend returns succeeds within about that. A call that starts waiting during a long backoff
 * brings the pending attempt forward. The first attempt (no delay) runs on the calling thread.
 */
final class DemandScheduler implements Scheduler {
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration demandInterval;
    private final Duration demandWindow;
    private final LongConsumer onScheduled;

    // guarded by this
    private Instant lastDemand;
    private Instant lastAttempt;
    private Callable<?> pending;
    private ScheduledFuture<?> pendingTimer;
    private Instant pendingAt;

    /**
     * @param demandWindow how long after a call asked for the link it still counts as waiting
     * @param onScheduled  told the delay, in nanoseconds, of each retry as it is scheduled
     */
    DemandScheduler(ScheduledExecutorService scheduler, Clock clock, Duration demandInterval, Duration demandWindow,
            LongConsumer onScheduled) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.demandInterval = demandInterval;
        this.demandWindow = demandWindow;
        this.onScheduled = onScheduled;
    }

    @Override
    public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
        if (delay <= 0) {
            synchronized (this) {
                lastAttempt = clock.instant();
            }
            return RanNow.run(callable);
        }
        long nanos = unit.toNanos(delay);
        synchronized (this) {
            Instant now = clock.instant();
            if (hasDemand(now)) {
                nanos = Math.min(nanos, demandInterval.toNanos());
            }
            onScheduled.accept(nanos);
            pending = callable;
            pendingAt = now.plusNanos(nanos);
            pendingTimer = scheduler.schedule(() -> fire(callable), nanos, TimeUnit.NANOSECONDS);
            return pendingTimer;
        }
    }

    private Object fire(Callable<?> callable) throws Exception {
        synchronized (this) {
            if (pending != callable) {
                return null; // brought forward and already run
            }
            pending = null;
            pendingTimer = null;
            lastAttempt = clock.instant();
        }
        return callable.call();
    }

    private boolean hasDemand(Instant now) {
        return lastDemand != null && Duration.between(lastDemand, now).compareTo(demandWindow) < 0;
    }

    /** A call waits for the link: from now on attempts come within the demand interval. */
    void demand() {
        Callable<?> runNow = null;
        synchronized (this) {
            Instant now = clock.instant();
            lastDemand = now;
            if (pending == null) {
                return;
            }
            Instant due = lastAttempt == null ? now : lastAttempt.plus(demandInterval);
            if (!due.isBefore(pendingAt)) {
                return;
            }
            if (!pendingTimer.cancel(false)) {
                return; // already firing
            }
            Callable<?> callable = pending;
            long nanos = Math.max(0, Duration.between(now, due).toNanos());
            pendingAt = now.plusNanos(nanos);
            if (nanos == 0) {
                pending = null;
                pendingTimer = null;
                lastAttempt = now;
                runNow = callable;
            } else {
                pendingTimer = scheduler.schedule(() -> fire(callable), nanos, TimeUnit.NANOSECONDS);
            }
        }
        if (runNow != null) {
            RanNow.run(runNow);
        }
    }

    /** Forgets any pending attempt (the loop ended). */
    synchronized void cancel() {
        if (pendingTimer != null) {
            pendingTimer.cancel(false);
        }
        pending = null;
        pendingTimer = null;
    }
}

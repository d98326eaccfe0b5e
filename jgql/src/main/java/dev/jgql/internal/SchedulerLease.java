package dev.jgql.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out the client's scheduler to sessions. A supplied scheduler is shared as it is; the
 * default one is a single daemon thread that exists only while at least one session holds it, so
 * an application that closes its sessions is left with no jgql thread.
 */
public final class SchedulerLease {
    private static final AtomicInteger LEASES = new AtomicInteger();

    private final ScheduledExecutorService supplied;
    private ScheduledThreadPoolExecutor owned;
    private int holders;

    public SchedulerLease(ScheduledExecutorService supplied) {
        this.supplied = supplied;
    }

    public synchronized ScheduledExecutorService acquire() {
        if (supplied != null) {
            return supplied;
        }
        if (owned == null) {
            owned = new ScheduledThreadPoolExecutor(1, Checks.daemonThreads("jgql-scheduler-" + LEASES.incrementAndGet()));
            // Timeouts are mostly cancelled; without this they would sit in the queue until due.
            owned.setRemoveOnCancelPolicy(true);
        }
        holders++;
        return owned;
    }

    public synchronized void release() {
        if (supplied != null || holders == 0) {
            return;
        }
        if (--holders == 0) {
            owned.shutdownNow();
            owned = null;
        }
    }
}

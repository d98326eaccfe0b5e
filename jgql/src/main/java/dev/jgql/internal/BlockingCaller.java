package dev.jgql.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A thread that is about to block on the call it makes (the blocking {@code Session} API), which
 * an engine may therefore use to do the exchange itself instead of handing it to another thread:
 * the JDK engine then runs the JDK's synchronous {@code send} right there, as a hand-written client
 * would, saving two thread hand-overs per call. The attempt step {@link #arm arms} the caller for
 * exactly one exchange (a probe or a second request started on this thread while it waits goes to
 * the engine's own threads), and, should the attempt time out, {@link #cancelInline(Object)
 * interrupts} the exchange, and only that attempt's exchange.
 */
public final class BlockingCaller {
    /** One per thread, reused by every call it makes: the blocking path allocates nothing for it. */
    private static final ThreadLocal<BlockingCaller> CURRENT = ThreadLocal.withInitial(BlockingCaller::new);

    private boolean active;
    private Object attempt;
    private boolean armed;
    private Runnable cancel;
    private boolean cancelled;

    private BlockingCaller() {
    }

    /** Starts a call on this thread that the thread will then wait for, and waits for it. */
    public static <T> T await(Supplier<CompletableFuture<T>> call) {
        BlockingCaller caller = CURRENT.get();
        boolean outer = caller.active; // a blocking call made from within another one (an interceptor's)
        caller.active = true;
        CompletableFuture<T> future;
        try {
            future = call.get();
        } finally {
            caller.active = outer;
            caller.disarm();
        }
        return Futures.await(future);
    }

    /** The caller on this thread, if it will block on its call; null otherwise. */
    public static BlockingCaller current() {
        BlockingCaller caller = CURRENT.get();
        return caller.active ? caller : null;
    }

    /** The next exchange started on this thread, that of {@code attempt}, may run here. */
    public synchronized void arm(Object attempt) {
        this.attempt = attempt;
        armed = true;
        cancelled = false;
    }

    /** Whatever was not claimed is not for later exchanges. */
    public synchronized void disarm() {
        attempt = null; // nor does it keep the attempt (and its request) reachable from the thread
        armed = false;
        cancel = null;
    }

    /**
     * Claims the armed exchange for this thread, with what cancels it while it runs; false if it
     * was not armed (or already claimed, or cancelled before it started).
     */
    public synchronized boolean claim(Runnable cancelWhileRunning) {
        if (!armed || cancelled) {
            return false;
        }
        armed = false;
        cancel = cancelWhileRunning;
        return true;
    }

    /** The exchange claimed by this thread has ended: nothing to cancel any more. */
    public synchronized void released() {
        cancel = null;
    }

    /**
     * The attempt timed out or was cancelled: stop its exchange running on the waiting thread, if
     * any. An attempt that is over by now (its thread may be on to its next call, this instance
     * being the thread's) cancels nothing.
     */
    public void cancelInline(Object attempt) {
        Runnable running;
        synchronized (this) {
            if (this.attempt != attempt) {
                return;
            }
            cancelled = true;
            armed = false;
            running = cancel;
            cancel = null;
        }
        if (running != null) {
            running.run();
        }
    }
}

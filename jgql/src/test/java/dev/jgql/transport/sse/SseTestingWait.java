package dev.jgql.transport.sse;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a fact about another process (a server's state) that no callback reports, at most {@link SseTesting#WAIT}. */
final class SseTestingWait {
    private SseTestingWait() {
    }

    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SseTesting.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not true within " + SseTesting.WAIT.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}

package dev.jgql.testkit;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Joining a fixture's threads on close, within one overall deadline. */
final class Threads {
    private Threads() {
    }

    /**
     * Waits for every thread to end, all within {@code timeout} together.
     *
     * @throws IllegalStateException naming the threads still alive after it, so a leak fails loudly
     */
    static void joinAll(Collection<Thread> threads, Duration timeout, String owner) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : List.copyOf(threads)) {
            long left = deadline - System.nanoTime();
            if (left > 0 && thread != Thread.currentThread()) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<String> alive = threads.stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
        if (!alive.isEmpty()) {
            throw new IllegalStateException(owner + " threads still alive " + timeout.toMillis() + " ms after close: " + alive);
        }
    }
}

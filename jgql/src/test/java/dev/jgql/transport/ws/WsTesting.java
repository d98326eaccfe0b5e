package dev.jgql.transport.ws;

import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.testkit.FakeScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Shared helpers of the WebSocket tests: contexts, bounded waits. */
final class WsTesting {
    static final Duration WAIT = Duration.ofSeconds(10);

    private WsTesting() {
    }

    static TransportContext context(ScheduledExecutorService scheduler) {
        Clock clock = scheduler instanceof FakeScheduler fake ? fake.clock() : Clock.systemUTC();
        return TransportContext.of(scheduler, clock, GraphQLJson.defaultMapper());
    }

    /** Waits, boundedly, for a future and returns its value; fails the test on timeout. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("The future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("The future did not complete within " + WAIT.toMillis() + " ms");
        }
    }

    /** Waits, boundedly, for a future to fail and returns the unwrapped failure. */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("Expected a failure but got " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("The future did not complete within " + WAIT.toMillis() + " ms");
        }
    }

    static TransportConnection connect(WebSocketTransport transport, ScheduledExecutorService scheduler) {
        return await(transport.connect(context(scheduler)));
    }

    /**
     * Polls a condition about another process (a server's state) until it holds, at most
     * {@link #WAIT}. Only for facts no callback reports; everything else waits on a signal.
     */
    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not true within " + WAIT.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}

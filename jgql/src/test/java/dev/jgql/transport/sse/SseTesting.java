package dev.jgql.transport.sse;

import dev.jgql.TestEngines;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared helpers of the SSE tests: transports on the engine under test, contexts, bounded waits. */
final class SseTesting {
    static final Duration WAIT = Duration.ofSeconds(10);

    private SseTesting() {
    }

    static SseTransport.Builder sse(URI uri) {
        return SseTransport.builder(uri).engine(TestEngines.engine());
    }

    static TransportContext context(ScheduledExecutorService scheduler) {
        Clock clock = scheduler instanceof FakeScheduler fake ? fake.clock() : Clock.systemUTC();
        return TransportContext.of(scheduler, clock, GraphQLJson.defaultMapper());
    }

    static TransportConnection connect(SseTransport transport, ScheduledExecutorService scheduler) {
        return await(transport.connect(context(scheduler)));
    }

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
}

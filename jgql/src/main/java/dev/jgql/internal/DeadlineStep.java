package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.TransportTimeoutException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Bounds a whole call when its options set a deadline: one timer for everything below (waits,
 * attempts, backoff), and the deadline's instant passed down as {@link #DEADLINE} so that retries
 * are not scheduled past it and attempts are not given more time than is left. A call without a
 * deadline passes through untouched.
 */
final class DeadlineStep implements GraphQLInterceptor {
    /** The attribute holding the call's deadline as an {@link Instant} of the session's clock. */
    static final String DEADLINE = "jgql.deadline";

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final LinkSource links;

    DeadlineStep(ScheduledExecutorService scheduler, Clock clock, LinkSource links) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.links = links;
    }

    /** The call's deadline, or null. */
    static Instant deadline(GraphQLCall call) {
        Object deadline = call.attributes().get(DEADLINE);
        return deadline instanceof Instant instant ? instant : null;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        if (call.options().deadline().isEmpty()) {
            return chain.proceed(call);
        }
        Duration deadline = call.options().deadline().get();
        CompletableFuture<ExecutionResult> result = chain.proceed(call.withAttribute(DEADLINE, clock.instant().plus(deadline)));
        return Futures.within(result, deadline, scheduler, () -> new TransportTimeoutException("No answer to "
                + call.request() + " within its deadline of " + deadline.toMillis() + " ms; it was cancelled"
                + (call.request().operationType() == dev.jgql.OperationType.MUTATION ? " and may have been applied" : ""),
                deadline, true, links.lastFailure()));
    }
}

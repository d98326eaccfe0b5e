package dev.jgql.transport;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link Transport} gets from the client that connects it: the scheduler every timer runs
 * on, the clock time is read from, and the JSON mapper. Transports must use these rather than
 * their own timers or {@code System.currentTimeMillis()}, so that tests can drive time.
 *
 * <pre>{@code
 * TransportContext context = TransportContext.of(scheduler, Clock.systemUTC(), new ObjectMapper());
 * TransportConnection connection = transport.connect(context).join();
 * }</pre>
 *
 * @param scheduler    runs timers (timeouts, keep-alive, backoff); owned by the client
 * @param clock        the time source for timers and {@code Retry-After} dates
 * @param objectMapper serialises requests and parses responses
 */
public record TransportContext(ScheduledExecutorService scheduler, Clock clock, ObjectMapper objectMapper) {

    public TransportContext {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(objectMapper, "objectMapper");
    }

    /** A context with these parts. */
    public static TransportContext of(ScheduledExecutorService scheduler, Clock clock, ObjectMapper objectMapper) {
        return new TransportContext(scheduler, clock, objectMapper);
    }
}

package dev.jgql.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.GraphQLRequest;

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
 * @param probe        the request a link-less transport may send to learn that its server is
 *                     reachable again, when the session was given one (the deprecated
 *                     {@code Reconnect.Builder.probe}); {@code null} otherwise
 */
public record TransportContext(ScheduledExecutorService scheduler, Clock clock, ObjectMapper objectMapper,
        GraphQLRequest probe) {

    public TransportContext {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(objectMapper, "objectMapper");
    }

    /**
     * A context without a probe.
     *
     * @param scheduler    runs timers
     * @param clock        the time source
     * @param objectMapper the JSON mapper
     */
    public TransportContext(ScheduledExecutorService scheduler, Clock clock, ObjectMapper objectMapper) {
        this(scheduler, clock, objectMapper, null);
    }

    /** A context with these parts. */
    public static TransportContext of(ScheduledExecutorService scheduler, Clock clock, ObjectMapper objectMapper) {
        return new TransportContext(scheduler, clock, objectMapper, null);
    }

    /** This context with a reachability probe. */
    public TransportContext withProbe(GraphQLRequest probeRequest) {
        return new TransportContext(scheduler, clock, objectMapper, probeRequest);
    }
}

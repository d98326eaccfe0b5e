package dev.jgql.spring.boot;

import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.ReconnectingSession;
import dev.jgql.transport.http.HttpTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a client's permanent session can reach its backend, as a health check tells it: the logic of the
 * {@code jgql} health indicator, free of Spring so that every Boot line shares it.
 *
 * <ul>
 *   <li>UP while the session is connected.
 *   <li>While it is connecting or reconnecting: UP for the grace period (a short break heals unseen), then
 *       DOWN with the last connect failure.
 *   <li>Over HTTP, nothing breaks until a request fails, so a connected session proves nothing: the check
 *       sends a probe ({@code query jgqlHealth { __typename }}) through the session, at most once per probe
 *       interval, and reuses its answer in between. A failed probe counts as a break from that moment; the
 *       session learns from it too and starts reconnecting by itself.
 *   <li>OUT_OF_SERVICE when the session is not open (before start, after shutdown).
 * </ul>
 *
 * <pre>{@code
 * JgqlHealth health = new JgqlHealth(client, tracker, Duration.ofSeconds(10), Duration.ofSeconds(30),
 *         Duration.ofSeconds(5), Clock.systemUTC());
 * JgqlHealth.Report report = health.check();
 * }</pre>
 *
 * <p>Thread-safe; concurrent checks share one probe.
 */
public final class JgqlHealth {
    /** The probe's request; it appears in metrics as the operation {@code jgqlHealth}. */
    public static final GraphQLRequest PROBE = Gql.gql("query jgqlHealth { __typename }");

    private final Client client;
    private final JgqlConnectionTracker tracker;
    private final Duration gracePeriod;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final Clock clock;
    private final boolean linkless;

    private final Object probeLock = new Object();
    // guarded by probeLock
    private Instant probedAt;
    private CompletableFuture<Throwable> probing;
    private volatile Throwable probeFailure;
    private volatile Instant probeFailingSince;
    private volatile Instant probeFailedAt;

    /**
     * @param client        the client whose permanent session is checked
     * @param tracker       since when the session is in its state; registered on the client as a listener
     * @param gracePeriod   how long a session may be reconnecting before it is DOWN
     * @param probeInterval over HTTP, the longest a probe's answer is reused
     * @param probeTimeout  over HTTP, the longest a probe may take
     * @param clock         the time source
     */
    public JgqlHealth(Client client, JgqlConnectionTracker tracker, Duration gracePeriod, Duration probeInterval,
            Duration probeTimeout, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.gracePeriod = nonNegative(gracePeriod, "gracePeriod");
        this.probeInterval = nonNegative(probeInterval, "probeInterval");
        this.probeTimeout = nonNegative(probeTimeout, "probeTimeout");
        if (probeTimeout.isZero()) {
            throw new IllegalArgumentException("probeTimeout must be positive: " + probeTimeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        // A transport without a link of its own: its session stays CONNECTED until a request fails.
        this.linkless = client.transport() instanceof HttpTransport;
    }

    private static Duration nonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }

    /** The status a health endpoint shows. */
    public enum Status {
        /** Reachable, or reconnecting within the grace period. */
        UP,
        /** Not reachable for longer than the grace period. */
        DOWN,
        /** The session is not open. */
        OUT_OF_SERVICE
    }

    /**
     * One check's answer.
     *
     * @param status  the status
     * @param details what a health endpoint shows beside it: {@code state}, {@code links}, and when not
     *                connected {@code since} and {@code error}; over HTTP {@code probedAt}
     */
    public record Report(Status status, Map<String, Object> details) {
    }

    /**
     * Checks, sending a probe over HTTP when the last one is older than the probe interval.
     *
     * @return the report
     */
    public Report check() {
        ReconnectingSession session;
        try {
            session = client.session();
        } catch (JgqlUsageException e) {
            return new Report(Status.OUT_OF_SERVICE, Map.of("state", "NOT_OPEN"));
        }
        if (linkless && session.state() == ConnectionState.CONNECTED) {
            probeIfDue(session);
        }
        ConnectionState state = session.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        Map<String, Object> links = new LinkedHashMap<>();
        Throwable linkFailure = null;
        for (ReconnectingSession.LinkStatus link : session.links()) {
            links.put(link.name(), link.state().name());
            if (linkFailure == null && link.lastFailure() != null) {
                linkFailure = link.lastFailure();
            }
        }
        details.put("links", links);
        synchronized (probeLock) {
            if (probedAt != null) {
                details.put("probedAt", probedAt.toString());
            }
        }
        if (state == ConnectionState.CLOSED) {
            return new Report(Status.OUT_OF_SERVICE, details);
        }
        Throwable failure;
        Instant since;
        if (state == ConnectionState.CONNECTED) {
            failure = probeFailure;
            Instant failedAt = probeFailedAt;
            if (failure != null && failedAt != null && tracker.state() == ConnectionState.CONNECTED
                    && tracker.since().isAfter(failedAt)) {
                failure = null; // the session reconnected after the failed probe: its answer is out of date
            }
            if (failure == null) {
                return new Report(Status.UP, details);
            }
            since = probeFailingSince;
        } else {
            failure = linkFailure != null ? linkFailure : probeFailure;
            since = earlier(tracker.since(), probeFailingSince);
        }
        details.put("since", since.toString());
        if (failure != null) {
            details.put("error", failure.getClass().getName() + ": " + failure.getMessage());
        }
        boolean withinGrace = Duration.between(since, clock.instant()).compareTo(gracePeriod) < 0;
        return new Report(withinGrace ? Status.UP : Status.DOWN, details);
    }

    private static Instant earlier(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    /** Sends a probe unless one was sent within the probe interval; waits for it, bounded. */
    private void probeIfDue(ReconnectingSession session) {
        CompletableFuture<Throwable> probe;
        synchronized (probeLock) {
            Instant now = clock.instant();
            if (probing == null && (probedAt == null || Duration.between(probedAt, now).compareTo(probeInterval) >= 0)) {
                probedAt = now;
                probing = session.executeForResult(PROBE, CallOptions.builder().timeout(probeTimeout).retry(false).build())
                        .handle((result, error) -> unwrap(error));
            }
            probe = probing;
        }
        if (probe == null) {
            return;
        }
        Throwable failure;
        try {
            failure = probe.get(probeTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            failure = e;
        }
        synchronized (probeLock) {
            if (probing == probe) {
                probing = null;
                if (failure == null) {
                    probeFailure = null;
                    probeFailingSince = null;
                    probeFailedAt = null;
                } else {
                    if (probeFailure == null) {
                        probeFailingSince = probedAt;
                    }
                    probeFailure = failure;
                    probeFailedAt = probedAt;
                }
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

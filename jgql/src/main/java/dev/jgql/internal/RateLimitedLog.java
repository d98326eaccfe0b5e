package dev.jgql.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Says whether a repeated warning should be logged now: the first of a run at once, then at most
 * one per interval, counting the ones left out, so an outage of hours leaves a readable log.
 * Thread-safe.
 */
public final class RateLimitedLog {
    private final Clock clock;
    private final Duration interval;
    private Instant lastLogged;
    private long suppressed;

    public RateLimitedLog(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Whether to log this occurrence at the loud level.
     *
     * @return how many occurrences were left out since the last one logged, or -1 to leave this one out
     */
    public synchronized long permit() {
        Instant now = clock.instant();
        if (lastLogged != null && Duration.between(lastLogged, now).compareTo(interval) < 0) {
            suppressed++;
            return -1;
        }
        lastLogged = now;
        long left = suppressed;
        suppressed = 0;
        return left;
    }

    /** The run is over (the condition cleared): the next occurrence logs at once. */
    public synchronized void reset() {
        lastLogged = null;
        suppressed = 0;
    }
}

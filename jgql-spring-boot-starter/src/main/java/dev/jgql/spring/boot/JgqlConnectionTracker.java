package dev.jgql.spring.boot;

import dev.jgql.ClientEventListener;
import dev.jgql.ConnectionState;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Remembers since when the client's permanent session is in its state, from the client's events:
 * what the health indicator's grace period is measured from. Registered on the auto-configured client
 * as one of its event listeners.
 *
 * <pre>{@code
 * JgqlConnectionTracker tracker = new JgqlConnectionTracker(Clock.systemUTC());
 * Client client = Client.builder().transport(transport).eventListener(tracker).build();
 * Instant downSince = tracker.since();
 * }</pre>
 */
public final class JgqlConnectionTracker implements ClientEventListener {
    private final Clock clock;
    private volatile Instant since;
    private volatile ConnectionState state = ConnectionState.CONNECTING;

    /**
     * A tracker whose session counts as connecting from now on.
     *
     * @param clock the time source
     */
    public JgqlConnectionTracker(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.since = clock.instant();
    }

    @Override
    public void stateChanged(StateChanged event) {
        if (event.link().equals("session")) {
            since = clock.instant();
            state = event.to();
        }
    }

    /** @return when the session's state last changed (or the tracker was made) */
    public Instant since() {
        return since;
    }

    /** @return the session's state as the events told it */
    public ConnectionState state() {
        return state;
    }
}

package dev.jgql.internal;

import dev.jgql.ClientEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The client's event listener, called safely: an exception from the listener is logged (rate
 * limited) and never reaches the call. When no listener is registered, {@link #enabled()} is false
 * and callers create no event at all: that is the whole cost of the feature.
 */
public final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);
    private static final Events NONE = new Events(null, Clock.systemUTC());

    private final ClientEventListener listener;
    private final AtomicLong ids = new AtomicLong();
    private final RateLimitedLog failures;

    private Events(ClientEventListener listener, Clock clock) {
        this.listener = listener;
        this.failures = new RateLimitedLog(clock, Duration.ofMinutes(1));
    }

    public static Events of(ClientEventListener listener, Clock clock) {
        return listener == null ? NONE : new Events(listener, clock);
    }

    /** Whether anyone listens; when not, do not build events. */
    public boolean enabled() {
        return listener != null;
    }

    /** A new id for a call or subscription. */
    public long nextId() {
        return ids.incrementAndGet();
    }

    /** Tells the listener, shielding the caller from whatever it throws. */
    public void emit(Consumer<ClientEventListener> event) {
        if (listener == null) {
            return;
        }
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            long left = failures.permit();
            if (left >= 0) {
                LOG.warn("The client's event listener threw; the call is not affected{}", left == 0 ? ""
                        : " (" + left + " more such failures not logged)", e);
            }
        }
    }
}

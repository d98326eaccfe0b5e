package dev.jgql.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A spinner with the elapsed time, drawn on one terminal line while a request takes longer than
 * {@link #DELAY}, and erased when it ends. Disabled (draws nothing, schedules nothing) when the
 * stream is not a terminal. Thread-safe: the scheduler draws while the caller closes.
 */
final class Spinner implements AutoCloseable {
    static final Duration DELAY = Duration.ofSeconds(1);
    static final Duration PERIOD = Duration.ofMillis(100);
    private static final String FRAMES = "|/-\\";
    private static final String ERASE_LINE = "\r\u001b[2K";

    private final PrintWriter out;
    private final Clock clock;
    private final String label;
    private final Instant started;
    private final ScheduledFuture<?> ticks;
    private int frame;
    private boolean drawn;
    private boolean closed;

    private Spinner(PrintWriter out, ScheduledExecutorService scheduler, Clock clock, String label) {
        this.out = out;
        this.clock = clock;
        this.label = label;
        this.started = clock.instant();
        this.ticks = scheduler == null ? null
                : scheduler.scheduleAtFixedRate(this::draw, DELAY.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts a spinner that appears after {@link #DELAY}; with {@code enabled} false, one that never appears. */
    static Spinner start(boolean enabled, PrintWriter out, ScheduledExecutorService scheduler, Clock clock, String label) {
        return new Spinner(out, enabled ? scheduler : null, clock, label);
    }

    /**
     * The daemon thread the spinners of one run tick on, to shut down when the run ends; {@code null}
     * when none is needed (spinners never draw, or the context brings its own scheduler).
     */
    static ScheduledExecutorService threadFor(boolean draws, CliContext context) {
        if (!draws || context.scheduler() != null) {
            return null;
        }
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jgql-cli-spinner");
            thread.setDaemon(true);
            return thread;
        });
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        Duration elapsed = Duration.between(started, clock.instant());
        out.print("\r" + FRAMES.charAt(frame++ % FRAMES.length()) + " " + label + " "
                + String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0) + "\u001b[K");
        out.flush();
        drawn = true;
    }

    /** Stops the spinner and erases its line, so what is printed next starts on a clean line. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticks != null) {
            ticks.cancel(false);
        }
        if (drawn) {
            out.print(ERASE_LINE);
            out.flush();
        }
    }
}

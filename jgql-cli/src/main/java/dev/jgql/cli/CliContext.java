package dev.jgql.cli;

import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a run of the CLI talks to: its three streams and whether each is a terminal, the
 * environment, the interrupt signal and the process signals that fire it, where the interactive
 * terminal comes from, and, in tests, the scheduler and clock (so the spinner and timeouts run on
 * fake time).
 *
 * @param scheduler {@code null} for the real ones: the client's own, and a spinner thread per run
 */
record CliContext(InputStream in, PrintStream out, PrintStream err, boolean inIsTerminal, boolean outIsTerminal,
        boolean errIsTerminal, Map<String, String> environment, Interrupter interrupter, SignalWatch signals,
        ScheduledExecutorService scheduler, Clock clock, TerminalFactory terminals) {

    /** Opens the terminal of interactive mode. */
    @FunctionalInterface
    interface TerminalFactory {
        Terminal open() throws IOException;
    }

    /**
     * Routes the process's Ctrl-C and SIGTERM to the interrupter while an operation runs, and gives
     * them back (the JVM's default: exit) afterwards.
     */
    @FunctionalInterface
    interface SignalWatch {
        /** Starts routing the signals to {@code onSignal}; the returned action stops it. */
        Runnable watch(Runnable onSignal);

        SignalWatch NONE = onSignal -> () -> { };
    }

    /** Streams that are not terminals, an empty environment, no signals, real time, no interactive terminal. */
    static CliContext of(InputStream in, PrintStream out, PrintStream err) {
        return new CliContext(in, out, err, false, false, false, Map.of(), new Interrupter(), SignalWatch.NONE, null,
                Clock.systemUTC(), () -> {
                    throw new IOException("no terminal: these streams are not a terminal");
                });
    }

    CliContext withTerminals(boolean in, boolean out, boolean err) {
        return new CliContext(in(), out(), err(), in, out, err, environment, interrupter, signals, scheduler, clock,
                terminals);
    }

    CliContext withEnvironment(Map<String, String> variables) {
        return new CliContext(in, out, err, inIsTerminal, outIsTerminal, errIsTerminal, Map.copyOf(variables),
                interrupter, signals, scheduler, clock, terminals);
    }

    CliContext withSignals(SignalWatch watch) {
        return new CliContext(in, out, err, inIsTerminal, outIsTerminal, errIsTerminal, environment, interrupter,
                watch, scheduler, clock, terminals);
    }

    CliContext withScheduler(ScheduledExecutorService fakeScheduler, Clock fakeClock) {
        return new CliContext(in, out, err, inIsTerminal, outIsTerminal, errIsTerminal, environment, interrupter,
                signals, fakeScheduler, fakeClock, terminals);
    }

    CliContext withTerminalFactory(TerminalFactory factory) {
        return new CliContext(in, out, err, inIsTerminal, outIsTerminal, errIsTerminal, environment, interrupter,
                signals, scheduler, clock, factory);
    }

    /** Whether colours are allowed at all: the NO_COLOR convention, and dumb terminals. */
    boolean coloursAllowed() {
        String noColor = environment.get("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(environment.get("TERM"));
    }
}

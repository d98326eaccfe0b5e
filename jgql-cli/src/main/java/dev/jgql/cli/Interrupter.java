package dev.jgql.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) and SIGTERM, as a future the running operation waits on beside its answer: the
 * signal handler, or a test, calls {@link #interrupt()}; the operation cancels itself cleanly. In
 * interactive mode each document gets a fresh signal with {@link #next()}.
 */
final class Interrupter {
    private final AtomicReference<CompletableFuture<Void>> current = new AtomicReference<>(new CompletableFuture<>());

    /** The signal of the operation running now; an interrupt that came before it started is kept. */
    CompletableFuture<Void> current() {
        return current.get();
    }

    /** A fresh signal for the next operation, forgetting an interrupt that ended the previous one. */
    CompletableFuture<Void> next() {
        CompletableFuture<Void> signal = new CompletableFuture<>();
        current.set(signal);
        return signal;
    }

    /** Asks the running operation to stop. Safe from any thread, a signal handler's included. */
    void interrupt() {
        current.get().complete(null);
    }
}

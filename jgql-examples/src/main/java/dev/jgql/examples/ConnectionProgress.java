package dev.jgql.examples;

import dev.failsafe.RetryPolicy;
import dev.failsafe.event.ExecutionScheduledEvent;
import dev.jgql.ConnectionState;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Tells the person at the console what the permanent session is doing: connecting, why an attempt failed and when
 * the next one is, connected, reconnecting. gql's console example logs the same through Python's {@code logging}
 * (its backoff library reports every retry at INFO); here the lines go to standard error, so standard output stays
 * the seed's dialogue.
 *
 * <p>It uses the public API only: the connect policy's retry events (a copy of the policy with a listener added)
 * for the failures and delays, and the session's state listener for the rest.
 *
 * <pre>{@code
 * ConnectionProgress progress = new ConnectionProgress(System.err, "http://127.0.0.1:4000/graphql");
 * progress.starting();
 * ReconnectingSession session = client.connectAsync(progress.reporting(Reconnect.defaults())).join();
 * progress.follow(session);
 * }</pre>
 */
final class ConnectionProgress {
    private final PrintStream err;
    private final String backend;
    private ConnectionState reported;

    /**
     * @param err     where the progress lines go
     * @param backend the backend as the user should read it (without credentials)
     */
    ConnectionProgress(PrintStream err, String backend) {
        this.err = Objects.requireNonNull(err, "err");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * These options with a connect policy that reports each failed attempt and the delay before the next one,
     * and that do not wait for the first connection: the console prompts at once, so {@code exit} works even
     * while the backend is unreachable.
     */
    Reconnect reporting(Reconnect options) {
        RetryPolicy<Object> connect = RetryPolicy.builder(options.retryConnect().getConfig())
                .onRetryScheduled(this::retryScheduled)
                .build();
        return options.toBuilder().retryConnect(connect).awaitFirstConnection(false).build();
    }

    /** Says that connecting starts; call it before connecting, so that it comes before any failure. */
    void starting() {
        report(ConnectionState.CONNECTING);
    }

    /** Follows the session's state changes from now on. */
    void follow(ReconnectingSession session) {
        session.addStateListener((from, to) -> report(to));
        // The first link may have come up before the listener was added: report where the session stands.
        report(session.state());
    }

    private void retryScheduled(ExecutionScheduledEvent<Object> event) {
        // jgql's messages name the backend and say what to check; they end a sentence or not.
        String cause = ContinentConsole.describe(event.getLastException()).strip();
        err.println("Cannot reach the GraphQL backend: " + cause + (cause.matches(".*[.?!]$") ? "" : ".")
                + " Next attempt in " + seconds(event.getDelay()) + "; type 'exit' to quit.");
    }

    private synchronized void report(ConnectionState state) {
        if (state == reported) {
            return;
        }
        reported = state;
        switch (state) {
            case CONNECTING -> err.println("Connecting to the GraphQL backend at " + backend);
            case CONNECTED -> err.println("Connected to the GraphQL backend at " + backend);
            case RECONNECTING -> err.println("Lost the link to the GraphQL backend at " + backend + "; reconnecting");
            case CLOSED -> {
                // Only ever the program's own doing (exit, end of input, Ctrl-C): nothing to tell.
            }
        }
    }

    private static String seconds(Duration delay) {
        return String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0);
    }
}

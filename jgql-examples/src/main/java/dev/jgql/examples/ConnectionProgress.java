package dev.jgql.examples;

import dev.jgql.ClientEventListener;
import dev.jgql.ConnectionState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Tells the person at the console what the permanent session is doing, from the client's event listener: over
 * WebSocket, connecting, why an attempt failed and when the next one is, connected, reconnecting; over HTTP, which
 * has no link to open and learns from requests whether the backend answers, that requests can be sent, and, when a
 * request meets a failure, why and when the backend is checked next. gql's console example logs such things through
 * Python's {@code logging}; here the lines go to standard error, so standard output stays the seed's dialogue.
 *
 * <p>It uses the public API only: {@link ClientEventListener#connectFailed} for the failures and delays, and
 * {@link ClientEventListener#stateChanged} of the session as a whole (link {@code session}) for the rest. Its
 * methods run on jgql's threads and only print a line.
 *
 * <pre>{@code
 * ConnectionProgress progress = new ConnectionProgress(System.err, "http://127.0.0.1:4000/graphql", true);
 * Client client = Client.builder().transport(transport).eventListener(progress).build();
 * progress.starting();
 * client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build()).join();
 * }</pre>
 */
final class ConnectionProgress implements ClientEventListener {
    private final PrintStream err;
    private final String backend;
    private final boolean linkless;
    private ConnectionState reported;

    /**
     * @param err      where the progress lines go
     * @param backend  the backend as the user should read it (without credentials)
     * @param linkless whether the transport has no link of its own (HTTP): then connecting sends nothing, and
     *                 reachability is learned from requests
     */
    ConnectionProgress(PrintStream err, String backend, boolean linkless) {
        this.err = Objects.requireNonNull(err, "err");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.linkless = linkless;
    }

    /**
     * Says that connecting starts; call it before connecting, so that it comes before any failure. Over HTTP there is
     * nothing to say yet: the session is connected at once.
     */
    synchronized void starting() {
        if (!linkless && reported == null) {
            reported = ConnectionState.CONNECTING;
            err.println("Connecting to the GraphQL backend at " + backend);
        }
    }

    @Override
    public void connectFailed(ConnectFailed event) {
        // jgql's messages name the backend and say what to check; they end a sentence or not.
        String cause = ContinentConsole.describe(event.cause()).strip();
        String sentence = cause + (cause.matches(".*[.?!]$") ? "" : ".");
        if (event.nextDelay() == null) {
            err.println("Cannot reach the GraphQL backend: " + sentence + " Gave up; the next request tries again.");
        } else {
            err.println("Cannot reach the GraphQL backend: " + sentence + " Next attempt in " + seconds(event.nextDelay())
                    + "; type 'exit' to quit.");
        }
    }

    @Override
    public void stateChanged(StateChanged event) {
        if (event.link().equals("session")) {
            report(event.to());
        }
    }

    private synchronized void report(ConnectionState state) {
        ConnectionState before = reported;
        if (state == before) {
            return;
        }
        reported = state;
        switch (state) {
            case CONNECTING -> err.println("Connecting to the GraphQL backend at " + backend);
            case CONNECTED -> err.println(!linkless ? "Connected to the GraphQL backend at " + backend
                    : before == ConnectionState.RECONNECTING ? "The GraphQL backend at " + backend + " answers again"
                    : "Ready to send requests to the GraphQL backend at " + backend
                            + " (over HTTP nothing is sent before the first request)");
            case RECONNECTING -> err.println(!linkless
                    ? "Lost the link to the GraphQL backend at " + backend + "; reconnecting"
                    : "A request could not reach the GraphQL backend at " + backend + "; checking until it answers");
            case CLOSED -> {
                // Only ever the program's own doing (exit, end of input, Ctrl-C): nothing to tell.
            }
        }
    }

    private static String seconds(Duration delay) {
        return String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0);
    }
}

package dev.jgql.cli;

import dev.failsafe.RetryPolicy;
import dev.jgql.AsyncSession;
import dev.jgql.Client;
import dev.jgql.ConnectionStateListener;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.transport.Transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client of a run and the sessions it opens on the library's public API: a plain session
 * ({@code client.connectAsync()}) for one operation, or the permanent session
 * ({@code client.connectAsync(Reconnect)}) for {@code --reconnecting} and interactive mode.
 */
final class Sessions implements AutoCloseable {
    private static final Duration LONGEST_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);

    private final Client client;
    private final Endpoint endpoint;
    private final Duration executeTimeout;
    private final Duration connectTimeout;
    private final Reporter reporter;
    private final AtomicReference<Throwable> lastConnectFailure = new AtomicReference<>();

    Sessions(Endpoint endpoint, Settings settings, CliContext context, Reporter reporter) {
        this.endpoint = endpoint;
        this.executeTimeout = settings.executeTimeout();
        this.reporter = reporter;
        // A short execute timeout shortens the connect and handshake timeouts too: no wait outlives the user's bound.
        this.connectTimeout = executeTimeout.compareTo(LONGEST_CONNECT_TIMEOUT) < 0 ? executeTimeout : LONGEST_CONNECT_TIMEOUT;
        Transport transport = endpoint.transport(settings.headers(), settings.engine(), settings.webSocketProtocol(),
                connectTimeout);
        Client.Builder builder = Client.builder().transport(transport).executeTimeout(executeTimeout);
        if (context.scheduler() != null) {
            builder.scheduler(context.scheduler()).clock(context.clock());
        }
        this.client = builder.build();
    }

    /** How long the CLI waits for an answer at most: the execute timeout, which jgql enforces, plus a backstop. */
    Duration answerLimit() {
        return executeTimeout.plus(Operations.BACKSTOP);
    }

    /** Opens a plain session and waits, boundedly, until its link is up. */
    AsyncSession connect(CompletableFuture<Void> stop) {
        // connect + WebSocket acknowledgement, each bounded by connectTimeout inside jgql
        return Operations.await(client.connectAsync(), connectTimeout.multipliedBy(2).plus(Operations.BACKSTOP), stop);
    }

    /**
     * Opens the permanent session: reconnects forever with jgql's default backoff (1 s doubling
     * to 60 s, with jitter) and resubscribes subscriptions after a reconnect.
     *
     * @param awaitFirst wait, at most the execute timeout, for the first link (one-shot mode);
     *                   {@code false} returns at once and lets requests wait (interactive mode)
     * @param states     told of every state change
     * @throws TransportConnectionFailedException if the first link is not up within the execute timeout
     */
    ReconnectingSession connectPermanent(boolean awaitFirst, ConnectionStateListener states, CompletableFuture<Void> stop) {
        RetryPolicy<Object> retryConnect = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
                .handle(Exception.class)
                .withMaxRetries(-1)
                .onFailedAttempt(attempt -> lastConnectFailure.set(attempt.getLastException()))
                .build();
        Reconnect reconnect = Reconnect.builder()
                .retryConnect(retryConnect)
                .resubscribe()
                .awaitFirstConnection(awaitFirst)
                .build();
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(reconnect);
        client.session().addStateListener(states);
        if (!awaitFirst) {
            return connecting.join(); // completed at once
        }
        try {
            return Operations.await(connecting, executeTimeout, stop);
        } catch (TransportTimeoutException e) {
            Throwable last = lastConnectFailure.get();
            throw new TransportConnectionFailedException("No connection to " + endpoint.display() + " within "
                    + executeTimeout.toSeconds() + " s (--execute-timeout)"
                    + (last == null ? "" : "; last attempt: " + last.getMessage()), false, last);
        }
    }

    /** Closes every session of the client, waiting a bounded time; says so if that was not enough. */
    @Override
    public void close() {
        try {
            client.closeAsync().get(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reporter.warning("the connection did not close within " + CLOSE_LIMIT.toSeconds() + " s; leaving anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            reporter.warning("closing the connection failed: " + Failures.unwrap(e).getMessage());
        }
    }
}

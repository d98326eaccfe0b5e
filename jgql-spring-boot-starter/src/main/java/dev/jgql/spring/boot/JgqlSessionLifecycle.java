package dev.jgql.spring.boot;

import dev.jgql.Client;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The client's permanent session, living as long as the application: opened when the context starts
 * (before the web server takes requests), closed when it stops (after the web server has stopped taking
 * them and finished the ones in flight). The counterpart of the seed's FastAPI start-up and shutdown events.
 *
 * <p>Why {@link #PHASE}: Spring starts lifecycles from the lowest phase up and stops them from the highest
 * down. Spring Boot's web server starts and stops in phase {@code DEFAULT_PHASE - 2048}, and its graceful
 * shutdown (which waits for requests in flight) runs in {@code DEFAULT_PHASE - 1024}. A lower phase means
 * the session is open before the first request arrives and is closed only after the last request has been
 * answered, so no request finds the session closed.
 *
 * <pre>{@code
 * @Bean
 * JgqlSessionLifecycle jgqlSessionLifecycle(Client client) {
 *     return new JgqlSessionLifecycle(client, Reconnect.defaults(), false, Duration.ofSeconds(30), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public class JgqlSessionLifecycle implements SmartLifecycle {
    /** Below the web server's phases ({@code DEFAULT_PHASE - 2048} and {@code - 1024}); see the class comment. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(JgqlSessionLifecycle.class);

    private final Client client;
    private final Reconnect reconnect;
    private final boolean awaitAtStartup;
    private final Duration startupTimeout;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    /**
     * @param client          the client whose permanent session this is
     * @param reconnect       how it reconnects and retries
     * @param awaitAtStartup  whether {@link #start()} waits for the first link, and fails without it
     * @param startupTimeout  how long it waits
     * @param shutdownTimeout how long closing may take at shutdown
     */
    public JgqlSessionLifecycle(Client client, Reconnect reconnect, boolean awaitAtStartup, Duration startupTimeout,
            Duration shutdownTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
        this.awaitAtStartup = awaitAtStartup;
        this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /**
     * Opens the permanent session; with {@code awaitAtStartup}, waits for its first link.
     *
     * @throws IllegalStateException if it waits and the link is not up in time (the session is closed again)
     */
    @Override
    public void start() {
        if (running) {
            return;
        }
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(
                reconnect.toBuilder().awaitFirstConnection(awaitAtStartup).build());
        if (awaitAtStartup) {
            try {
                connecting.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly();
                throw new IllegalStateException("Interrupted while waiting for the GraphQL backend at start-up", e);
            } catch (ExecutionException | TimeoutException e) {
                closeQuietly();
                String why = e instanceof TimeoutException ? "no link within " + startupTimeout : String.valueOf(e.getCause());
                throw new IllegalStateException("The GraphQL backend (" + client.transport() + ") could not be reached at "
                        + "start-up: " + why + ". Set jgql.connect.await-at-startup=false to start anyway and let the "
                        + "session connect in the background, or raise jgql.connect.startup-timeout.", e);
            }
        }
        running = true;
    }

    private void closeQuietly() {
        try {
            client.closeAsync().get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Closing the GraphQL session after a failed start failed: {}", e.toString());
        }
    }

    /** Closes the session; pending calls fail with {@code TransportClosedException}. Bounded by the shutdown timeout. */
    @Override
    public void stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        stop(() -> done.complete(null));
        try {
            done.get(shutdownTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Closing the GraphQL session did not end in time: {}", e.toString());
        }
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        client.closeAsync()
                .orTimeout(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("Closing the GraphQL session failed or took longer than {}: {}", shutdownTimeout,
                                failure.toString());
                    }
                    callback.run();
                });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

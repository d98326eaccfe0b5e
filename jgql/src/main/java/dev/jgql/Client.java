package dev.jgql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.internal.BlockingSession;
import dev.jgql.internal.Checks;
import dev.jgql.internal.ConnectedSession;
import dev.jgql.internal.Futures;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.internal.ReconnectingSessionImpl;
import dev.jgql.internal.SchedulerLease;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportContext;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The entry point: one client per GraphQL backend, built once and shared by every thread. The
 * client holds configuration; sessions hold links. Immutable configuration, thread-safe.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(HttpTransport.builder(URI.create("https://host/graphql")).build())
 *     .build();
 *
 * try (Session session = client.connect()) {
 *     Map<String, Object> data = session.execute(Gql.gql("{ continents { code } }"));
 * }
 * }</pre>
 *
 * <p>Threads: the client starts no thread until a session opens. Sessions share one scheduler
 * thread (timeouts, keep-alive); it stops when the last session closes, unless the application
 * supplied its own scheduler, which jgql never shuts down.
 */
public final class Client implements AutoCloseable {
    private final Transport transport;
    private final Duration executeTimeout;
    private final Clock clock;
    private final ObjectMapper objectMapper;
    private final SchedulerLease scheduler;
    private final Set<AsyncSession> openSessions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ReconnectingSessionImpl> permanent = new AtomicReference<>();

    private Client(Builder builder) {
        this.transport = Objects.requireNonNull(builder.transport, "transport: call Client.builder().transport(...)");
        this.executeTimeout = builder.executeTimeout;
        this.clock = builder.clock;
        this.objectMapper = builder.objectMapper == null ? GraphQLJson.defaultMapper() : builder.objectMapper;
        this.scheduler = new SchedulerLease(builder.scheduler);
    }

    /** A new builder; {@link Builder#transport} is required, every other setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a session and waits until its link is up (for HTTP at once; for a WebSocket until the
     * server acknowledged). Close it, ideally with try-with-resources.
     *
     * @throws TransportException if the link cannot be opened
     */
    public Session connect() {
        return new BlockingSession(Futures.await(connectAsync()));
    }

    /**
     * Opens a session without blocking; the future completes when its link is up, or
     * exceptionally with the {@link TransportException} that prevented it.
     */
    public CompletableFuture<AsyncSession> connectAsync() {
        ScheduledExecutorService timers = scheduler.acquire();
        TransportContext context = TransportContext.of(timers, clock, objectMapper);
        CompletableFuture<AsyncSession> connected = new CompletableFuture<>();
        CompletableFuture<? extends dev.jgql.transport.TransportConnection> link;
        try {
            link = transport.connect(context);
        } catch (RuntimeException e) {
            scheduler.release();
            return CompletableFuture.failedFuture(e);
        }
        link.whenComplete((connection, failure) -> {
            if (failure != null) {
                scheduler.release();
                connected.completeExceptionally(Futures.unwrap(failure));
                return;
            }
            ConnectedSession[] self = new ConnectedSession[1];
            self[0] = new ConnectedSession(connection, context, executeTimeout, () -> {
                openSessions.remove(self[0]);
                scheduler.release();
            });
            openSessions.add(self[0]);
            if (!connected.complete(self[0])) {
                self[0].closeAsync(); // the caller gave up waiting
            }
        });
        return connected;
    }

    /**
     * Opens the client's permanent session, which reconnects by itself: the counterpart of gql's
     * {@code connect_async(reconnecting=True)}. The future completes once the first link is up
     * (or at once, see {@link Reconnect.Builder#awaitFirstConnection}); with the default connect
     * policy it keeps trying forever, so bound your wait if the backend may be down at start-up.
     * The session is also reachable with {@link #session()} and closed by {@link #closeAsync()}.
     *
     * <pre>{@code
     * ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
     * }</pre>
     *
     * @throws IllegalStateException if the client already has an open permanent session
     */
    public CompletableFuture<ReconnectingSession> connectAsync(Reconnect reconnect) {
        Objects.requireNonNull(reconnect, "reconnect");
        ScheduledExecutorService timers = scheduler.acquire();
        ReconnectingSessionImpl[] self = new ReconnectingSessionImpl[1];
        self[0] = new ReconnectingSessionImpl(transport, TransportContext.of(timers, clock, objectMapper),
                executeTimeout, reconnect, () -> {
                    permanent.compareAndSet(self[0], null);
                    scheduler.release();
                });
        if (!permanent.compareAndSet(null, self[0])) {
            scheduler.release();
            throw new IllegalStateException("This client already has a permanent session: use client.session(), "
                    + "or close it with client.closeAsync() before connecting again");
        }
        return self[0].start();
    }

    /**
     * The permanent session opened by {@link #connectAsync(Reconnect)}: the counterpart of gql's
     * {@code client.session}, for code that has the client but not the session.
     *
     * @throws IllegalStateException if there is none (not connected yet, or closed)
     */
    public ReconnectingSession session() {
        ReconnectingSession session = permanent.get();
        if (session == null) {
            throw new IllegalStateException("This client has no permanent session: call connectAsync(Reconnect) first");
        }
        return session;
    }

    /**
     * Closes the permanent session and every other session this client opened; completes when
     * their links are released, promptly in any state (mid-backoff included). Pending calls fail
     * with {@link TransportClosedException}. The client can connect again afterwards.
     */
    public CompletableFuture<Void> closeAsync() {
        List<CompletableFuture<Void>> closing = Stream.concat(Stream.ofNullable(permanent.get()), openSessions.stream())
                .map(AsyncSession::closeAsync)
                .toList();
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    /** {@link #closeAsync()} and wait, a bounded time, for it. */
    @Override
    public void close() {
        Futures.await(closeAsync());
    }

    /** The transport this client connects with. */
    public Transport transport() {
        return transport;
    }

    /** The execute timeout every call is bounded by. */
    public Duration executeTimeout() {
        return executeTimeout;
    }

    /**
     * Builds a {@link Client}. Not thread-safe; the built client is. Every setting but the
     * transport has a default, given on its method.
     *
     * <pre>{@code
     * Client client = Client.builder()
     *     .transport(transport)
     *     .executeTimeout(Duration.ofSeconds(5))
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private Transport transport;
        private Duration executeTimeout = Duration.ofSeconds(10);
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private ObjectMapper objectMapper;

        private Builder() {
        }

        /** How to reach the server, e.g. an {@code HttpTransport}. Required; no default. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * The longest any execute may take, from the call to the answer; a late answer fails with
         * {@link TransportTimeoutException} and the request is cancelled. Default 10 seconds, as
         * in gql.
         */
        public Builder executeTimeout(Duration executeTimeout) {
            this.executeTimeout = Checks.positive(executeTimeout, "executeTimeout");
            return this;
        }

        /**
         * The scheduler every timer runs on (timeouts, keep-alive, backoff). Supply one to share it
         * or, in tests, to drive time with a fake one; jgql never shuts a supplied scheduler down.
         * Default: one daemon thread named {@code jgql-scheduler}, started with the first session
         * and stopped with the last.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The clock time is read from (HTTP {@code Retry-After} dates). Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The Jackson mapper for variables and responses, e.g. one with your modules registered.
         * Default: a plain {@link ObjectMapper} that rejects trailing garbage after a JSON value.
         */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        public Client build() {
            return new Client(this);
        }
    }
}

package dev.jgql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.internal.BlockingSession;
import dev.jgql.internal.Checks;
import dev.jgql.internal.ClientConfig;
import dev.jgql.internal.ConnectedSession;
import dev.jgql.internal.Events;
import dev.jgql.internal.Futures;
import dev.jgql.internal.PersistedQueryStep;
import dev.jgql.internal.ReconnectingSessionImpl;
import dev.jgql.internal.SchedulerLease;
import dev.jgql.internal.SchemaSource;
import dev.jgql.schema.IntrospectionOptions;
import dev.jgql.schema.Scalars;
import dev.jgql.schema.Schema;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Every session of a client runs its calls through one pipeline: the client's
 * {@link Builder#interceptor interceptors}, jgql's own steps (deadline, retries in the permanent
 * session, the per-attempt timeout) and its {@link Builder#eventListener event listener}.
 *
 * <p>Threads: the client starts no thread until a session opens. Sessions share one scheduler
 * thread (timeouts, keep-alive); it stops when the last session closes, unless the application
 * supplied its own scheduler, which jgql never shuts down.
 */
public final class Client implements AutoCloseable {
    private final ClientConfig config;
    private final SchedulerLease scheduler;
    private final Set<AsyncSession> openSessions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ReconnectingSessionImpl> permanent = new AtomicReference<>();

    private Client(Builder builder) {
        Transport transport = Objects.requireNonNull(builder.transport, "transport: call Client.builder().transport(...)");
        if (builder.schema != null && builder.fetchSchemaFromTransport) {
            throw new IllegalArgumentException("Give the schema or fetch it from the transport, not both: "
                    + "schema(...) and fetchSchemaFromTransport(true) were both set");
        }
        SchemaSource schemas = new SchemaSource(builder.schema, builder.scalars, builder.fetchSchemaFromTransport,
                builder.introspectionOptions);
        this.config = new ClientConfig(transport, builder.subscriptionTransport, builder.executeTimeout, builder.clock,
                builder.objectMapper == null ? GraphQLJson.defaultMapper() : builder.objectMapper, builder.interceptors,
                builder.attemptInterceptors, Events.of(builder.eventListener, builder.clock), builder.defaultCallOptions,
                schemas, ClientConfig.schemaStep(schemas, builder.validateRequests, builder.serializeVariables,
                        builder.parseResults, builder.objectMapper),
                builder.persistedQueries == null ? null : new PersistedQueryStep(builder.persistedQueries),
                builder.batching);
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
        return new BlockingSession(Futures.await(connectAsync()), true);
    }

    /**
     * Opens a session without blocking; the future completes when its link (both links, with a
     * separate subscription transport) is up, or exceptionally with the {@link TransportException}
     * that prevented it.
     */
    public CompletableFuture<AsyncSession> connectAsync() {
        ScheduledExecutorService timers = scheduler.acquire();
        TransportContext context = TransportContext.of(timers, config.clock(), config.objectMapper());
        CompletableFuture<TransportConnection> main = open(config.transport(), context);
        CompletableFuture<TransportConnection> streams = config.splitTransports()
                ? open(config.subscriptionTransport(), context) : main;
        CompletableFuture<AsyncSession> connected = new CompletableFuture<>();
        CompletableFuture.allOf(main, streams).whenComplete((ignored, failure) -> {
            if (failure != null) {
                // One may have opened while the other failed: close what did open.
                main.thenAccept(TransportConnection::close);
                streams.thenAccept(TransportConnection::close);
                scheduler.release();
                connected.completeExceptionally(Futures.unwrap(failure));
                return;
            }
            AtomicReference<AsyncSession> self = new AtomicReference<>();
            self.set(new ConnectedSession(config, context, main.join(), streams.join(), () -> {
                openSessions.remove(self.get());
                scheduler.release();
            }));
            openSessions.add(self.get());
            // With fetchSchemaFromTransport, the first session's first call is validated already.
            config.schemas().fetchIfNeeded(self.get()).thenRun(() -> {
                if (!connected.complete(self.get())) {
                    self.get().closeAsync(); // the caller gave up waiting
                }
            });
        });
        return connected;
    }

    private static CompletableFuture<TransportConnection> open(Transport transport, TransportContext context) {
        try {
            return transport.connect(context);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Opens the client's permanent session, which reconnects by itself: the counterpart of gql's
     * {@code connect_async(reconnecting=True)}. Over a transport without a link of its own (HTTP)
     * the future completes at once, as gql's does; over a WebSocket, once the first link is up
     * (or at once, see {@link Reconnect.Builder#awaitFirstConnection}). With the default connect
     * policy it keeps trying forever, logging each failure, so bound your wait if the backend may
     * be down at start-up. The session is also reachable with {@link #session()} and closed by
     * {@link #closeAsync()}.
     *
     * <pre>{@code
     * ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
     * }</pre>
     *
     * @throws JgqlUsageException if the client already has an open permanent session
     */
    public CompletableFuture<ReconnectingSession> connectAsync(Reconnect reconnect) {
        Objects.requireNonNull(reconnect, "reconnect");
        ScheduledExecutorService timers = scheduler.acquire();
        AtomicReference<ReconnectingSessionImpl> self = new AtomicReference<>();
        ReconnectingSessionImpl session = new ReconnectingSessionImpl(config,
                TransportContext.of(timers, config.clock(), config.objectMapper()), reconnect, () -> {
                    permanent.compareAndSet(self.get(), null);
                    scheduler.release();
                });
        self.set(session);
        if (!permanent.compareAndSet(null, session)) {
            scheduler.release();
            throw new JgqlUsageException("This client already has a permanent session: use client.session(), "
                    + "or close it with client.closeAsync() before connecting again");
        }
        return session.start();
    }

    /**
     * The permanent session opened by {@link #connectAsync(Reconnect)}: the counterpart of gql's
     * {@code client.session}, for code that has the client but not the session.
     *
     * @throws JgqlUsageException if there is none (not connected yet, or closed)
     */
    public ReconnectingSession session() {
        ReconnectingSession session = permanent.get();
        if (session == null) {
            throw new JgqlUsageException("This client has no permanent session (never opened, or closed): "
                    + "call client.connectAsync(Reconnect.defaults()) first");
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

    /** The transport queries and mutations (and, without a separate one, subscriptions) go over. */
    public Transport transport() {
        return config.transport();
    }

    /**
     * The schema this client knows: the one given to {@link Builder#schema}, or the one fetched
     * with {@link Builder#fetchSchemaFromTransport} once a session has connected.
     *
     * <pre>{@code
     * client.schema().ifPresent(schema -> System.out.println(schema.toSdl()));
     * }</pre>
     *
     * @return the schema, if known
     */
    public Optional<Schema> schema() {
        return config.schemas().schema();
    }

    /** The execute timeout that bounds each attempt of a call unless the call sets its own. */
    public Duration executeTimeout() {
        return config.executeTimeout();
    }

    /**
     * Builds a {@link Client}. Not thread-safe; the built client is. Every setting but the
     * transport has a default, given on its method.
     *
     * <pre>{@code
     * Client client = Client.builder()
     *     .transport(HttpTransport.builder(URI.create("https://host/graphql")).build())
     *     .subscriptionTransport(WebSocketTransport.builder(URI.create("wss://host/graphql")).build())
     *     .executeTimeout(Duration.ofSeconds(5))
     *     .interceptor((call, chain) -> chain.proceed(call.withHeader("X-Tenant", "acme")))
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private Transport transport;
        private Transport subscriptionTransport;
        private Duration executeTimeout = Duration.ofSeconds(10);
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private ObjectMapper objectMapper;
        private final List<GraphQLInterceptor> interceptors = new ArrayList<>();
        private final List<GraphQLInterceptor> attemptInterceptors = new ArrayList<>();
        private ClientEventListener eventListener;
        private CallOptions defaultCallOptions = CallOptions.none();
        private Schema schema;
        private boolean fetchSchemaFromTransport;
        private IntrospectionOptions introspectionOptions = IntrospectionOptions.defaults();
        private Scalars scalars = Scalars.none();
        private boolean validateRequests = true;
        private boolean serializeVariables = true;
        private boolean parseResults = true;
        private PersistedQueries persistedQueries;
        private Batching batching;

        private Builder() {
        }

        /**
         * The server's schema as SDL text: every request is then validated before it is sent
         * ({@link GraphQLValidationException}, nothing on the wire), custom scalars are
         * {@link #scalars serialised and parsed}, and the DSL can build requests. Default: none.
         *
         * <pre>{@code
         * Client client = Client.builder()
         *     .transport(http)
         *     .schema(Files.readString(Path.of("schema.graphqls")))
         *     .build();
         * }</pre>
         *
         * @throws GraphQLSchemaException if the SDL does not parse or is not a valid schema
         */
        public Builder schema(String sdl) {
            return schema(Schema.fromSdl(sdl));
        }

        /** The server's schema (see {@link #schema(String)}); also from an introspection result with {@link Schema#fromIntrospection}. */
        public Builder schema(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** The server's schema as graphql-java's (see {@link #schema(String)}). */
        public Builder schema(graphql.schema.GraphQLSchema schema) {
            return schema(Schema.of(schema));
        }

        /**
         * Whether to fetch the schema by introspection once, on the first connection that succeeds
         * (a plain session's connect waits for it; the permanent session fetches it when it is
         * first connected, and again after a failed attempt, never after the server refused it).
         * A refusal is logged with what to do, and the client works on without a schema. Cannot
         * be combined with {@link #schema(String)}. Default {@code false}, as in gql.
         */
        public Builder fetchSchemaFromTransport(boolean fetchSchemaFromTransport) {
            this.fetchSchemaFromTransport = fetchSchemaFromTransport;
            return this;
        }

        /** What the introspection query of {@link #fetchSchemaFromTransport} asks for. Default {@link IntrospectionOptions#defaults()} (gql's). */
        public Builder introspectionOptions(IntrospectionOptions introspectionOptions) {
            this.introspectionOptions = Objects.requireNonNull(introspectionOptions, "introspectionOptions");
            return this;
        }

        /**
         * Codecs of custom scalars and enums, used with a known schema to serialise variables and
         * parse answers (see {@link #serializeVariables} and {@link #parseResults}). Default
         * {@link Scalars#none()}.
         */
        public Builder scalars(Scalars scalars) {
            this.scalars = Objects.requireNonNull(scalars, "scalars");
            return this;
        }

        /**
         * Whether requests are validated against the known schema before they are sent. Default
         * {@code true}; validation is cached per document, so it costs once per document.
         */
        public Builder validateRequests(boolean validateRequests) {
            this.validateRequests = validateRequests;
            return this;
        }

        /**
         * Whether variables of registered custom scalars and enums are serialised with their
         * codecs; a call can say otherwise with {@link CallOptions.Builder#serializeVariables}.
         * Default {@code true} (gql's default is off; with no codecs registered there is nothing
         * to do either way).
         */
        public Builder serializeVariables(boolean serializeVariables) {
            this.serializeVariables = serializeVariables;
            return this;
        }

        /**
         * Whether answers are parsed with the registered codecs into Java values (an
         * {@code OffsetDateTime} for a {@code DateTime}); a call can say otherwise with
         * {@link CallOptions.Builder#parseResults}. Default {@code true} (gql's default is off).
         */
        public Builder parseResults(boolean parseResults) {
            this.parseResults = parseResults;
            return this;
        }

        /**
         * Whether queries and mutations go as automatic persisted queries: the SHA-256 hash of the
         * document first, the document itself only when the server asks for it (see
         * {@link PersistedQueries#automatic()}). Default {@code false}.
         */
        public Builder persistedQueries(boolean persistedQueries) {
            this.persistedQueries = persistedQueries ? PersistedQueries.automatic() : null;
            return this;
        }

        /**
         * Persisted queries with these settings: automatic (optionally as GET for hashed queries)
         * or trusted documents from a manifest. Default: off.
         *
         * <pre>{@code
         * .persistedQueries(PersistedQueries.automatic().useGetForHashedQueries(true))
         * }</pre>
         */
        public Builder persistedQueries(PersistedQueries persistedQueries) {
            this.persistedQueries = Objects.requireNonNull(persistedQueries, "persistedQueries");
            return this;
        }

        /**
         * Automatic batching: queries and mutations started within an interval go to the server as
         * one HTTP request (see {@link Batching}); each caller still gets its own answer. Over
         * transports other than HTTP each call goes on its own. Explicit batches
         * ({@link AsyncSession#executeBatch}) need no setting. Default: off.
         */
        public Builder batching(Batching batching) {
            this.batching = Objects.requireNonNull(batching, "batching");
            return this;
        }

        /**
         * How to reach the server, e.g. an {@code HttpTransport}: queries and mutations go over it,
         * and subscriptions too unless {@link #subscriptionTransport} sets another. Required; no
         * default.
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * A transport of their own for subscriptions, e.g. a {@code WebSocketTransport} beside an
         * HTTP {@link #transport}: the common setup (Apollo Kotlin's
         * {@code subscriptionNetworkTransport}). In the permanent session each link is supervised
         * and reconnected on its own. Default: none, subscriptions go over {@link #transport}.
         */
        public Builder subscriptionTransport(Transport subscriptionTransport) {
            this.subscriptionTransport = Objects.requireNonNull(subscriptionTransport, "subscriptionTransport");
            return this;
        }

        /**
         * The longest one attempt of a call may take, waiting for a link included; a late answer
         * fails the attempt with {@link TransportTimeoutException}, the request is cancelled, and
         * the permanent session may retry it (as gql, which bounds each transport call). A call can
         * set its own with {@link CallOptions.Builder#timeout}, and bound all its attempts with
         * {@link CallOptions.Builder#deadline}. Default 10 seconds, as in gql.
         */
        public Builder executeTimeout(Duration executeTimeout) {
            this.executeTimeout = Checks.positive(executeTimeout, "executeTimeout");
            return this;
        }

        /**
         * Adds an interceptor that sees every call once, before retries (validation, persisted
         * queries, logging of calls, tracing). Interceptors run in the order added. Default: none.
         */
        public Builder interceptor(GraphQLInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds an interceptor that sees every attempt of a call, after retries (per-attempt logging,
         * headers that must be fresh for each attempt). Default: none.
         */
        public Builder attemptInterceptor(GraphQLInterceptor interceptor) {
            attemptInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * The listener told of calls, retries, failed connect attempts, state changes and
         * subscriptions: what metrics and health are built on. With none (the default), no event
         * is created at all.
         */
        public Builder eventListener(ClientEventListener eventListener) {
            this.eventListener = Objects.requireNonNull(eventListener, "eventListener");
            return this;
        }

        /**
         * Options every call starts from; a call's own {@link CallOptions} override them setting by
         * setting. E.g. {@code CallOptions.builder().failFast(true).build()} for a web service
         * that answers 503 at once during an outage. Default: {@link CallOptions#none()}.
         */
        public Builder defaultCallOptions(CallOptions defaultCallOptions) {
            this.defaultCallOptions = Objects.requireNonNull(defaultCallOptions, "defaultCallOptions");
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

        /** The clock time is read from (HTTP {@code Retry-After} dates, deadlines). Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The Jackson mapper for variables, responses and typed results
         * ({@link ExecutionResult#field}), e.g. one with your modules registered. Default: jgql's
         * own, which rejects trailing garbage after a JSON value and reads and writes
         * {@code java.time} values as ISO-8601 text.
         */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** Builds the client. */
        public Client build() {
            return new Client(this);
        }
    }
}

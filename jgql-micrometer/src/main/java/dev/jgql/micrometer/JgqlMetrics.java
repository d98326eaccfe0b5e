package dev.jgql.micrometer;

import dev.jgql.ClientEventListener;
import dev.jgql.ConnectionState;
import dev.jgql.OperationType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A jgql client's metrics, with Micrometer's conventions, from the client's
 * {@link ClientEventListener events}: register it as the client's event listener.
 *
 * <pre>{@code
 * JgqlMetrics metrics = JgqlMetrics.builder(meterRegistry).tags(Tags.of("client", "countries")).build();
 * Client client = Client.builder().transport(transport).eventListener(metrics).build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters (every one also has the builder's common tags)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer</td><td>operation, type, outcome, exception</td>
 *       <td>each call (execute) from start to end, retries included</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>operation</td><td>attempts that failed and were retried</td></tr>
 *   <tr><td>{@value #CONNECT_FAILURES}</td><td>counter</td><td>link</td><td>failed attempts to open a link</td></tr>
 *   <tr><td>{@value #RECONNECTS}</td><td>counter</td><td>link</td><td>links that came back up after a break</td></tr>
 *   <tr><td>{@value #STATE}</td><td>gauge</td><td>link, state</td>
 *       <td>1 for the state each link (and the {@code session} as a whole) is in, 0 for the others</td></tr>
 *   <tr><td>{@value #PENDING}</td><td>gauge</td><td></td><td>calls started and not yet ended</td></tr>
 *   <tr><td>{@value #ACTIVE_SUBSCRIPTIONS}</td><td>gauge</td><td></td><td>subscriptions started and not yet ended</td></tr>
 * </table>
 *
 * <p>Tag values: {@code operation} is the operation's name ({@code anonymous} for an operation without
 * one), never its variables or document; after {@link Builder#maxOperationNames} distinct names, further
 * names are counted as {@code other}, so a client that builds documents with generated names cannot
 * flood the registry. {@code type} is {@code query}, {@code mutation} or {@code subscription};
 * {@code outcome} is a {@link ClientEventListener.Outcome} ({@code SUCCESS}, {@code GRAPHQL_ERRORS},
 * {@code FAILED}, {@code TIMED_OUT}, {@code CANCELLED}); {@code exception} the failure's simple class
 * name, or {@code none}; {@code link} is {@code main}, {@code subscriptions} or {@code session}.
 *
 * <p>One instance per client (its gauges describe one client); thread-safe; every method returns
 * at once, as a listener must.
 */
public final class JgqlMetrics implements ClientEventListener {
    /** The timer of calls. */
    public static final String CALLS = "jgql.client.calls";
    /** The counter of retried attempts. */
    public static final String RETRIES = "jgql.client.retries";
    /** The counter of failed connect attempts. */
    public static final String CONNECT_FAILURES = "jgql.client.connect.failures";
    /** The counter of links back up after a break. */
    public static final String RECONNECTS = "jgql.client.reconnects";
    /** The state gauges. */
    public static final String STATE = "jgql.client.state";
    /** The gauge of calls in flight. */
    public static final String PENDING = "jgql.client.calls.pending";
    /** The gauge of active subscriptions. */
    public static final String ACTIVE_SUBSCRIPTIONS = "jgql.client.subscriptions.active";

    /** The tag value of an operation without a name. */
    static final String ANONYMOUS = "anonymous";
    /** The tag value of operation names past the limit. */
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Tags tags;
    private final int maxOperationNames;
    private final Set<String> operationNames = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicReference<ConnectionState>> linkStates = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong activeSubscriptions = new AtomicLong();
    private final Meter.MeterProvider<Timer> calls;
    private final Meter.MeterProvider<Counter> retries;
    private final Meter.MeterProvider<Counter> connectFailures;
    private final Meter.MeterProvider<Counter> reconnects;

    private JgqlMetrics(Builder builder) {
        this.registry = builder.registry;
        this.tags = builder.tags;
        this.maxOperationNames = builder.maxOperationNames;
        this.calls = Timer.builder(CALLS).description("GraphQL calls (execute), from start to end, retries included")
                .tags(tags).withRegistry(registry);
        this.retries = Counter.builder(RETRIES).description("Attempts of GraphQL calls that failed and were retried")
                .tags(tags).withRegistry(registry);
        this.connectFailures = Counter.builder(CONNECT_FAILURES).description("Failed attempts to open a link")
                .tags(tags).withRegistry(registry);
        this.reconnects = Counter.builder(RECONNECTS).description("Links that came back up after a break")
                .tags(tags).withRegistry(registry);
        Gauge.builder(PENDING, pending, AtomicLong::get).description("GraphQL calls started and not yet ended")
                .tags(tags).strongReference(true).register(registry);
        Gauge.builder(ACTIVE_SUBSCRIPTIONS, activeSubscriptions, AtomicLong::get)
                .description("GraphQL subscriptions started and not yet ended").tags(tags).strongReference(true)
                .register(registry);
        // The two links every permanent session has, so that dashboards see them before the first change.
        link("session");
        link("main");
    }

    /**
     * A builder for the metrics of one client, registered in {@code registry}.
     *
     * @param registry where the meters go
     * @return a new builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void callStarted(CallStarted event) {
        pending.incrementAndGet();
    }

    @Override
    public void callFinished(CallFinished event) {
        pending.decrementAndGet();
        calls.withTags(Tags.of(
                Tag.of("operation", operation(event.operationName())),
                Tag.of("type", type(event.operationType())),
                Tag.of("outcome", event.outcome().name()),
                Tag.of("exception", event.failure() == null ? "none" : exceptionName(event.failure()))))
                .record(event.duration());
    }

    @Override
    public void retryScheduled(RetryScheduled event) {
        retries.withTag("operation", operation(event.operationName())).increment();
    }

    @Override
    public void connectFailed(ConnectFailed event) {
        connectFailures.withTag("link", event.link()).increment();
    }

    @Override
    public void stateChanged(StateChanged event) {
        link(event.link()).set(event.to());
        if (event.from() == ConnectionState.RECONNECTING && event.to() == ConnectionState.CONNECTED
                && !event.link().equals("session")) {
            reconnects.withTag("link", event.link()).increment();
        }
    }

    @Override
    public void subscriptionStarted(SubscriptionStarted event) {
        activeSubscriptions.incrementAndGet();
        operation(event.operationName()); // counts towards the limit like a call's name
    }

    @Override
    public void subscriptionEnded(SubscriptionEnded event) {
        activeSubscriptions.decrementAndGet();
    }

    /** The state of a link, its gauges registered on first sight. */
    private AtomicReference<ConnectionState> link(String name) {
        return linkStates.computeIfAbsent(name, link -> {
            AtomicReference<ConnectionState> state = new AtomicReference<>();
            for (ConnectionState candidate : ConnectionState.values()) {
                Gauge.builder(STATE, state, current -> current.get() == candidate ? 1 : 0)
                        .description("1 for the state the link is in, 0 for the others")
                        .tags(tags).tag("link", link).tag("state", candidate.name())
                        .strongReference(true).register(registry);
            }
            if (!link.equals("session")) {
                // Registered at 0, so that a dashboard shows the link's counters before its first failure.
                connectFailures.withTag("link", link);
                reconnects.withTag("link", link);
            }
            return state;
        });
    }

    /** The tag value for an operation name: bounded in number. */
    private String operation(String name) {
        if (name == null || name.isEmpty()) {
            return ANONYMOUS;
        }
        if (operationNames.contains(name)) {
            return name;
        }
        // Not atomic with the check: a few names past the limit under a race are harmless.
        if (operationNames.size() >= maxOperationNames) {
            return OTHER;
        }
        operationNames.add(name);
        return name;
    }

    private static String type(OperationType type) {
        return type == null ? "unknown" : type.name().toLowerCase(Locale.ROOT);
    }

    private static String exceptionName(Throwable failure) {
        String simple = failure.getClass().getSimpleName();
        return simple.isEmpty() ? failure.getClass().getName() : simple;
    }

    /** Builds {@link JgqlMetrics}. Not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags tags = Tags.empty();
        private int maxOperationNames = 100;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Tags every meter gets, e.g. {@code client=countries} to tell several clients apart. Default: none.
         *
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * How many distinct operation names become tag values; names past it are counted as {@code other}.
         * Default 100.
         *
         * @param maxOperationNames at least 1
         * @return this builder
         */
        public Builder maxOperationNames(int maxOperationNames) {
            if (maxOperationNames < 1) {
                throw new IllegalArgumentException("maxOperationNames must be at least 1, not " + maxOperationNames);
            }
            this.maxOperationNames = maxOperationNames;
            return this;
        }

        /**
         * Builds the metrics and registers the gauges.
         *
         * @return the listener to give the client
         */
        public JgqlMetrics build() {
            return new JgqlMetrics(this);
        }
    }
}

package dev.jgql.spring.boot;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jgql.*} properties: the backend, its transport and engine, timeouts, how the permanent
 * session connects and retries, health and metrics. Only {@code jgql.url} is required.
 *
 * <pre>
 * jgql.url=https://countries.example/graphql
 * jgql.headers.Authorization=Bearer ${COUNTRIES_TOKEN}
 * jgql.execute-timeout=5s
 * jgql.connect.retry.max-delay=5m
 * </pre>
 */
@ConfigurationProperties("jgql")
public class JgqlProperties {
    /** Whether to auto-configure a jgql client and its permanent session. */
    private boolean enabled = true;

    /** The GraphQL endpoint: http:// or https:// for GraphQL over HTTP, ws:// or wss:// for a WebSocket. */
    private URI url;

    /**
     * A WebSocket endpoint (ws:// or wss://) of its own for subscriptions, beside an HTTP url; by default
     * subscriptions go over jgql.url.
     */
    private URI subscriptionUrl;

    /** The transport; AUTO picks it from the url's scheme. */
    private TransportKind transport = TransportKind.AUTO;

    /** What carries the bytes: JDK (java.net.http) or VERTX (Vert.x 5, needs dev.jgql:jgql-vertx). */
    private EngineKind engine = EngineKind.JDK;

    /** Headers sent with every request (HTTP) or with the WebSocket handshake. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** The longest opening a TCP connection may take. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The longest one attempt of a call may take, waiting for a link included. */
    private Duration executeTimeout = Duration.ofSeconds(10);

    /** The longest a call may take with all its attempts and backoff; none by default. */
    private Duration deadline;

    /** Whether calls fail at once while the link is down, instead of waiting for it up to their timeout. */
    private boolean failFast = false;

    /** Whether active subscriptions are resubscribed after a reconnect (else they end with the link). */
    private boolean resubscribe = false;

    /** How long closing the session at shutdown may take before the application goes on stopping. */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private final Connect connect = new Connect();
    private final Execute execute = new Execute();
    private final Health health = new Health();
    private final Metrics metrics = new Metrics();
    private final Schema schema = new Schema();

    /** @return whether the client is auto-configured */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the client is auto-configured */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the GraphQL endpoint */
    public URI getUrl() {
        return url;
    }

    /** @param url the GraphQL endpoint */
    public void setUrl(URI url) {
        this.url = url;
    }

    /** @return the subscriptions' own WebSocket endpoint, or null */
    public URI getSubscriptionUrl() {
        return subscriptionUrl;
    }

    /** @param subscriptionUrl the subscriptions' own WebSocket endpoint */
    public void setSubscriptionUrl(URI subscriptionUrl) {
        this.subscriptionUrl = subscriptionUrl;
    }

    /** @return the transport */
    public TransportKind getTransport() {
        return transport;
    }

    /** @param transport the transport */
    public void setTransport(TransportKind transport) {
        this.transport = transport;
    }

    /** @return the engine */
    public EngineKind getEngine() {
        return engine;
    }

    /** @param engine the engine */
    public void setEngine(EngineKind engine) {
        this.engine = engine;
    }

    /** @return the headers */
    public Map<String, String> getHeaders() {
        return headers;
    }

    /** @param headers the headers */
    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    /** @return the connect timeout */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the execute timeout */
    public Duration getExecuteTimeout() {
        return executeTimeout;
    }

    /** @param executeTimeout the execute timeout */
    public void setExecuteTimeout(Duration executeTimeout) {
        this.executeTimeout = executeTimeout;
    }

    /** @return the calls' deadline, or null */
    public Duration getDeadline() {
        return deadline;
    }

    /** @param deadline the calls' deadline */
    public void setDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    /** @return whether calls fail fast while the link is down */
    public boolean isFailFast() {
        return failFast;
    }

    /** @param failFast whether calls fail fast while the link is down */
    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    /** @return whether subscriptions are resubscribed after a reconnect */
    public boolean isResubscribe() {
        return resubscribe;
    }

    /** @param resubscribe whether subscriptions are resubscribed after a reconnect */
    public void setResubscribe(boolean resubscribe) {
        this.resubscribe = resubscribe;
    }

    /** @return the shutdown timeout */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** @param shutdownTimeout the shutdown timeout */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** @return how the session connects */
    public Connect getConnect() {
        return connect;
    }

    /** @return how calls are retried */
    public Execute getExecute() {
        return execute;
    }

    /** @return the health indicator's settings */
    public Health getHealth() {
        return health;
    }

    /** @return the metrics' settings */
    public Metrics getMetrics() {
        return metrics;
    }

    /** @return the schema's settings */
    public Schema getSchema() {
        return schema;
    }

    /** Which transport carries operations. */
    public enum TransportKind {
        /** HTTP for http(s) URLs, WebSocket for ws(s) URLs. */
        AUTO,
        /** GraphQL over HTTP. */
        HTTP,
        /** graphql-transport-ws (or the legacy graphql-ws) over a WebSocket. */
        WS
    }

    /** What carries the bytes. */
    public enum EngineKind {
        /** The JDK's java.net.http. */
        JDK,
        /** Vert.x 5 (dev.jgql:jgql-vertx). */
        VERTX
    }

    /** A backoff: exponential with jitter from the initial delay, capped at the maximum. */
    public static class Retry {
        /** The first delay; each next one doubles, with jitter. */
        private Duration initialDelay;
        /** The longest delay. */
        private Duration maxDelay;
        /** How many attempts in all; -1 for no limit. */
        private int maxAttempts;

        Retry(Duration initialDelay, Duration maxDelay, int maxAttempts) {
            this.initialDelay = initialDelay;
            this.maxDelay = maxDelay;
            this.maxAttempts = maxAttempts;
        }

        /** @return the first delay */
        public Duration getInitialDelay() {
            return initialDelay;
        }

        /** @param initialDelay the first delay */
        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        /** @return the longest delay */
        public Duration getMaxDelay() {
            return maxDelay;
        }

        /** @param maxDelay the longest delay */
        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        /** @return the attempts in all, -1 for no limit */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts the attempts in all, -1 for no limit */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /** How the permanent session connects, at start-up and after a break. */
    public static class Connect {
        /**
         * Whether start-up waits (up to the startup timeout) until the first link is up, and fails if it is
         * not; by default the application starts while the backend is down and calls wait for the link.
         */
        private boolean awaitAtStartup = false;
        /** How long start-up waits for the first link when await-at-startup is on. */
        private Duration startupTimeout = Duration.ofSeconds(30);
        /** While calls wait for a link that is down, the next connect attempt comes within this interval. */
        private Duration demandInterval = Duration.ofSeconds(1);
        /** The connect backoff: from 1 s to 60 s, forever, by default (as gql's). */
        private final Retry retry = new Retry(Duration.ofSeconds(1), Duration.ofSeconds(60), -1);

        /** @return whether start-up waits for the first link */
        public boolean isAwaitAtStartup() {
            return awaitAtStartup;
        }

        /** @param awaitAtStartup whether start-up waits for the first link */
        public void setAwaitAtStartup(boolean awaitAtStartup) {
            this.awaitAtStartup = awaitAtStartup;
        }

        /** @return how long start-up waits */
        public Duration getStartupTimeout() {
            return startupTimeout;
        }

        /** @param startupTimeout how long start-up waits */
        public void setStartupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
        }

        /** @return the demand interval */
        public Duration getDemandInterval() {
            return demandInterval;
        }

        /** @param demandInterval the demand interval */
        public void setDemandInterval(Duration demandInterval) {
            this.demandInterval = demandInterval;
        }

        /** @return the connect backoff */
        public Retry getRetry() {
            return retry;
        }
    }

    /** How calls are retried. */
    public static class Execute {
        /** Whether failed calls are retried at all (never on GraphQL errors, mutations only when provably not sent). */
        private boolean retryEnabled = true;
        /** Whether mutations may be retried even when they may already have been applied. */
        private boolean retryUnsafeMutations = false;
        /** The execute backoff: from 200 ms to 5 s, 5 attempts in all, by default. */
        private final Retry retry = new Retry(Duration.ofMillis(200), Duration.ofSeconds(5), 5);

        /** @return whether calls are retried */
        public boolean isRetryEnabled() {
            return retryEnabled;
        }

        /** @param retryEnabled whether calls are retried */
        public void setRetryEnabled(boolean retryEnabled) {
            this.retryEnabled = retryEnabled;
        }

        /** @return whether unsafe mutations are retried */
        public boolean isRetryUnsafeMutations() {
            return retryUnsafeMutations;
        }

        /** @param retryUnsafeMutations whether unsafe mutations are retried */
        public void setRetryUnsafeMutations(boolean retryUnsafeMutations) {
            this.retryUnsafeMutations = retryUnsafeMutations;
        }

        /** @return the execute backoff */
        public Retry getRetry() {
            return retry;
        }
    }

    /** The Actuator health indicator {@code jgql}. */
    public static class Health {
        /** How long the link may be down (reconnecting) before health says DOWN. */
        private Duration gracePeriod = Duration.ofSeconds(10);
        /** Over HTTP, which has no link to watch: the longest a reachability probe's answer is reused. */
        private Duration probeInterval = Duration.ofSeconds(30);
        /** Over HTTP: the longest a reachability probe may take. */
        private Duration probeTimeout = Duration.ofSeconds(5);

        /** @return the grace period */
        public Duration getGracePeriod() {
            return gracePeriod;
        }

        /** @param gracePeriod the grace period */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }

        /** @return the probe interval */
        public Duration getProbeInterval() {
            return probeInterval;
        }

        /** @param probeInterval the probe interval */
        public void setProbeInterval(Duration probeInterval) {
            this.probeInterval = probeInterval;
        }

        /** @return the probe timeout */
        public Duration getProbeTimeout() {
            return probeTimeout;
        }

        /** @param probeTimeout the probe timeout */
        public void setProbeTimeout(Duration probeTimeout) {
            this.probeTimeout = probeTimeout;
        }
    }

    /** The server's schema: given, or fetched by introspection; with one, requests are validated before sending. */
    public static class Schema {
        /**
         * Where the server's schema is: SDL (e.g. classpath:schema.graphqls) or an introspection result (a .json
         * file). With a schema, every request is validated before it is sent.
         */
        private org.springframework.core.io.Resource location;
        /** Whether to fetch the schema by introspection once the session is first connected (not with a location). */
        private boolean fetchFromTransport = false;

        /** @return where the schema is, or null */
        public org.springframework.core.io.Resource getLocation() {
            return location;
        }

        /** @param location where the schema is */
        public void setLocation(org.springframework.core.io.Resource location) {
            this.location = location;
        }

        /** @return whether to fetch the schema by introspection */
        public boolean isFetchFromTransport() {
            return fetchFromTransport;
        }

        /** @param fetchFromTransport whether to fetch the schema by introspection */
        public void setFetchFromTransport(boolean fetchFromTransport) {
            this.fetchFromTransport = fetchFromTransport;
        }
    }

    /** Micrometer metrics and observations, when Micrometer and dev.jgql:jgql-micrometer are present. */
    public static class Metrics {
        /** Whether the client's meters (jgql.client.*) are registered. */
        private boolean enabled = true;
        /** Whether each call is observed (a span with Micrometer Tracing; trace context sent as headers). */
        private boolean observationsEnabled = true;
        /** How many distinct operation names become tag values; later ones are tagged "other". */
        private int maxOperationNames = 100;

        /** @return whether meters are registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether meters are registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return whether calls are observed */
        public boolean isObservationsEnabled() {
            return observationsEnabled;
        }

        /** @param observationsEnabled whether calls are observed */
        public void setObservationsEnabled(boolean observationsEnabled) {
            this.observationsEnabled = observationsEnabled;
        }

        /** @return the limit of operation names */
        public int getMaxOperationNames() {
            return maxOperationNames;
        }

        /** @param maxOperationNames the limit of operation names */
        public void setMaxOperationNames(int maxOperationNames) {
            this.maxOperationNames = maxOperationNames;
        }
    }
}

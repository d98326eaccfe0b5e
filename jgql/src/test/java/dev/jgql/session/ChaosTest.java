package dev.jgql.session;

import dev.jgql.TestEngines;
import dev.failsafe.RetryPolicy;
import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The permanent session between a real backend and a TCP chaos proxy that kills, refuses and
 * restarts. Real time, real sockets; every wait bounded.
 */
@Tag("chaos")
@Timeout(120)
class ChaosTest {
    private static final GraphQLRequest CONTINENT = gql("query C($code: ID!) { continent(code: $code) { name } }");
    private static final Duration KEEP_ALIVE_INTERVAL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE_DEADLINE = Duration.ofMillis(500);
    private static final GraphQLRequest INCREMENT = gql("mutation I($id: String) { increment(by: 1, requestId: $id) }");

    private CountriesServer backend;
    private ChaosProxy proxy;
    private Client client;
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        backend = CountriesServer.start(0);
        proxy = ChaosProxy.start(backend.port());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeAsync().orTimeout(5, TimeUnit.SECONDS).join();
        }
        proxy.close();
        backend.close();
    }

    private Transport transport(String kind) {
        return switch (kind) {
            case "http" -> TestEngines.http(proxy.httpUri("/graphql")).build();
            case "ws" -> TestEngines.ws(proxy.webSocketUri("/graphql"))
                    .pingInterval(KEEP_ALIVE_INTERVAL).pongTimeout(KEEP_ALIVE_DEADLINE).build();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The default policies, with connect backoff shortened so the test runs in seconds. */
    private ReconnectingSession connect(String kind) {
        RetryPolicy<Object> quickConnect = Reconnect.backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .handle(Exception.class).withMaxRetries(-1).build();
        client = Client.builder().transport(transport(kind)).build();
        ReconnectingSession session = client.connectAsync(Reconnect.builder().retryConnect(quickConnect).build())
                .orTimeout(10, TimeUnit.SECONDS).join();
        session.addStateListener((from, to) -> states.add(to));
        return session;
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void aThousandQueriesFrom16ThreadsAllSucceedWhileConnectionsAreKilled(String kind) throws Exception {
        proxy.killRandomly(0.01, 42);
        ReconnectingSession session = connect(kind);
        String[] codes = {"AF", "AN", "AS", "EU", "NA", "OC", "SA"};
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Map<String, Object>>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String code = codes[i % codes.length];
                calls.add(threads.submit(() -> session.execute(CONTINENT, Map.of("code", code)).get(30, TimeUnit.SECONDS)));
            }
            for (Future<Map<String, Object>> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS)).containsKey("continent");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(proxy.totalConnections()).as("connections were killed and reopened").isGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void fiveHundredMutationsUnderKillsAreNeverAppliedTwice(String kind) throws Exception {
        proxy.killRandomly(0.01, 7);
        ReconnectingSession session = connect(kind);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<String> ids = new ArrayList<>();
        List<Future<Throwable>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                String id = "m" + i;
                ids.add(id);
                outcomes.add(threads.submit(() -> {
                    try {
                        session.execute(INCREMENT, Map.of("id", id)).get(30, TimeUnit.SECONDS);
                        return null;
                    } catch (java.util.concurrent.ExecutionException e) {
                        return e.getCause();
                    }
                }));
            }
            int succeeded = 0;
            int mayHaveApplied = 0;
            for (int i = 0; i < ids.size(); i++) {
                Throwable failure = outcomes.get(i).get(60, TimeUnit.SECONDS);
                int applied = backend.timesApplied(ids.get(i));
                assertThat(applied).as("times %s was applied", ids.get(i)).isLessThanOrEqualTo(1);
                if (failure == null) {
                    succeeded++;
                    assertThat(applied).isEqualTo(1);
                } else {
                    mayHaveApplied++;
                    assertThat(failure).isInstanceOf(TransportException.class);
                    assertThat(mayHaveApplied(failure)).as("%s says it may have been applied", failure).isTrue();
                }
            }
            // Over one WebSocket a kill fails every mutation in flight on it (up to 16 here), each
            // reported as possibly applied; the check is only that the run is not vacuous.
            assertThat(succeeded).as("a majority go through (%d failed as possibly applied)", mayHaveApplied)
                    .isGreaterThan(250);
            assertThat(backend.counter()).isEqualTo(backend.appliedRequestIds().size());
        } finally {
            threads.shutdownNow();
        }
    }

    private static boolean mayHaveApplied(Throwable failure) {
        return failure instanceof TransportConnectionFailedException failed && failed.requestMayHaveBeenSent()
                || failure instanceof TransportTimeoutException
                || failure instanceof dev.jgql.TransportServerException;
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void theSessionRecoversByItselfWhenTheBackendComesBack(String kind) throws Exception {
        ReconnectingSession session = connect(kind);
        int port = backend.port();
        assertThat(session.execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS)).containsKey("continent");

        backend.close();
        long downAt = System.nanoTime();
        CompletableFuture<Map<String, Object>> duringOutage = session.execute(CONTINENT, Map.of("code", "SA"));
        await().atMost(Duration.ofSeconds(5)).until(() -> session.state() == ConnectionState.RECONNECTING);
        // The backend stays down for five seconds of real time, then comes back on the same port.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        backend = CountriesServer.start(port);

        await().atMost(Duration.ofSeconds(10)).until(() -> session.state() == ConnectionState.CONNECTED);
        assertThat(Duration.ofNanos(System.nanoTime() - downAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(session.execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS)).containsKey("continent");
        // The call made during the outage ends too (answered, or failed after its retries), though maybe a
        // moment after the new call: it was waiting for the link, the new one came straight in.
        await().atMost(Duration.ofSeconds(10)).until(duringOutage::isDone);
        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws"})
    void aHalfOpenLinkIsDetectedWithinTheKeepAliveIntervalPlusDeadlineThenRecovered(String kind) throws Exception {
        ReconnectingSession session = connect(kind);
        assertThat(session.execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS)).containsKey("continent");

        // Nothing crosses the proxy any more, in either direction, and nothing is closed: half-open.
        proxy.mode(ChaosProxy.Mode.BLACKHOLE);
        long silentSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> session.state() == ConnectionState.RECONNECTING);
        Duration detectedAfter = Duration.ofNanos(System.nanoTime() - silentSince);
        // The link is found dead by the keep-alive: within one interval plus the pong deadline
        // (and scheduling slack on a loaded machine), not after minutes of TCP retransmission.
        assertThat(detectedAfter).isLessThan(KEEP_ALIVE_INTERVAL.plus(KEEP_ALIVE_DEADLINE).plusSeconds(2));

        proxy.mode(ChaosProxy.Mode.PASS);
        await().atMost(Duration.ofSeconds(10)).until(() -> session.state() == ConnectionState.CONNECTED);
        assertThat(session.execute(CONTINENT, Map.of("code", "EU")).get(10, TimeUnit.SECONDS)).containsKey("continent");
        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void aHundredReconnectCyclesThenCloseLeaveNothingBehind(String kind) throws Exception {
        ReconnectingSession session = connect(kind);
        for (int cycle = 0; cycle < 100; cycle++) {
            proxy.mode(ChaosProxy.Mode.REFUSE);
            proxy.killAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.liveConnections() == 0);
            CompletableFuture<Map<String, Object>> call = session.execute(CONTINENT, Map.of("code", "EU"));
            int cycleNumber = cycle;
            await("RECONNECTING in cycle " + cycleNumber + ", states so far " + states).atMost(Duration.ofSeconds(5))
                    .until(() -> session.state() == ConnectionState.RECONNECTING);
            proxy.mode(ChaosProxy.Mode.PASS);
            assertThat(call.get(10, TimeUnit.SECONDS)).containsKey("continent");
            assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        }
        assertThat(states).hasSize(200).containsSubsequence(ConnectionState.RECONNECTING, ConnectionState.CONNECTED,
                ConnectionState.RECONNECTING, ConnectionState.CONNECTED);

        client.closeAsync().get(1, TimeUnit.SECONDS);
        client = null;

        assertThat(session.state()).isEqualTo(ConnectionState.CLOSED);
        // On JDK 17 an HttpClient's pooled sockets close when its selector thread ends, which
        // happens once the client is garbage: the thread check waits for that first.
        dev.jgql.transport.http.LeakChecks.assertNoJgqlThreadLeft();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.liveConnections() == 0);
    }
}

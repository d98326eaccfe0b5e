package dev.jgql.session;

import dev.failsafe.RetryPolicy;
import dev.jgql.BlockingSubscription;
import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.Subscriptions;
import dev.jgql.TestEngines;
import dev.jgql.TransportClosedException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The session API against real servers on loopback: options on the wire, split transports, reachability, blocking streams. */
@Timeout(60)
class SessionFeaturesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final GraphQLRequest CONTINENT = gql("query Continent($code: ID!) { continent(code: $code) { name } }");
    private static final GraphQLRequest COUNTDOWN = gql("subscription Countdown($from: Int!) { countdown(from: $from, intervalMs: 20) }");

    private final List<AutoCloseable> resources = new ArrayList<>();

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(0, resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void callHeadersAndTheHeaderSupplierReachTheServerAndTheSupplierSeesTheRequest() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        server.handler(request -> ScriptedHttpServer.Response.json(200, "{\"data\":{\"ok\":true}}"));
        Client client = closeLater(Client.builder().transport(TestEngines.http(server.uri())
                        .header("X-Static", "s")
                        .headerSupplier(request -> Map.of("X-Operation", request.selectedOperationName().orElse("?"),
                                "X-Static", "replaced"))
                        .build())
                .defaultCallOptions(CallOptions.builder().header("X-Default", "d").build())
                .build());

        try (Session session = client.connect()) {
            session.execute(CONTINENT.withVariables(Map.of("code", "EU")),
                    CallOptions.builder().header("X-Call", "c").build());
        }

        ScriptedHttpServer.RecordedRequest sent = server.takeRequest(WAIT);
        assertThat(sent.header("X-Operation")).contains("Continent");
        assertThat(sent.header("X-Static")).contains("replaced");
        assertThat(sent.header("X-Default")).contains("d");
        assertThat(sent.header("X-Call")).contains("c");
    }

    @Test
    void queriesGoOverHttpAndSubscriptionsOverTheirOwnWebSocketEachLinkSupervised() {
        CountriesServer backend = closeLater(CountriesServer.start(0));
        ChaosProxy wsProxy = closeLater(ChaosProxy.start(backend.port()));
        Client client = Client.builder()
                .transport(TestEngines.http(backend.httpUri()).build())
                .subscriptionTransport(TestEngines.ws(wsProxy.webSocketUri("/graphql")).build())
                .build();
        closeLater(client);
        ReconnectingSession session = client.connectAsync(Reconnect.defaults()).orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(session.links()).extracting(ReconnectingSession.LinkStatus::name).containsExactly("main", "subscriptions");
        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(session.execute(CONTINENT, Map.of("code", "EU")).orTimeout(10, TimeUnit.SECONDS).join())
                .isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        session.subscribe(COUNTDOWN, Map.of("from", 2)).subscribe(events);
        events.awaitTermination(WAIT);
        assertThat(events.items()).extracting(event -> event.get("countdown")).containsExactly(2, 1, 0);

        wsProxy.killAll();
        await().atMost(WAIT).until(() -> session.links().get(1).state() != ConnectionState.CONNECTED
                || wsProxy.totalConnections() > 1);
        assertThat(session.links().get(0).state()).as("the HTTP link is not affected").isEqualTo(ConnectionState.CONNECTED);
        await().atMost(WAIT).until(() -> session.state() == ConnectionState.CONNECTED && wsProxy.totalConnections() > 1);
        assertThat(session.whenConnected()).succeedsWithin(WAIT);
    }

    @Test
    void aPlainSessionWithSplitTransportsOpensBoth() {
        CountriesServer backend = closeLater(CountriesServer.start(0));
        Client client = closeLater(Client.builder()
                .transport(TestEngines.http(backend.httpUri()).build())
                .subscriptionTransport(TestEngines.ws(backend.webSocketUri()).build())
                .build());

        try (Session session = client.connect();
             BlockingSubscription<Map<String, Object>> events = session.subscribeBlocking(COUNTDOWN.withVariables(Map.of("from", 1)))) {
            assertThat(session.execute(CONTINENT, Map.of("code", "AF"))).containsEntry("continent", Map.of("name", "Africa"));
            assertThat(events.stream().map(event -> event.get("countdown")).toList()).containsExactly(1, 0);
        }
    }

    @Test
    void aBlockingSubscriptionIteratesAndClosingItStopsTheOperation() {
        CountriesServer backend = closeLater(CountriesServer.start(0));
        Client client = closeLater(Client.builder().transport(TestEngines.ws(backend.webSocketUri()).build()).build());
        ReconnectingSession session = client.connectAsync(Reconnect.defaults()).orTimeout(10, TimeUnit.SECONDS).join();
        Session blocking = session.blocking();
        List<Object> seen = new ArrayList<>();

        try (BlockingSubscription<Map<String, Object>> events = blocking.subscribeBlocking(
                gql("subscription { countdown(from: 1000, intervalMs: 5) }"))) {
            for (Map<String, Object> event : events) {
                seen.add(event.get("countdown"));
                if (seen.size() == 3) {
                    break;
                }
            }
        }

        assertThat(seen).containsExactly(1000, 999, 998);
        await().atMost(WAIT).until(() -> backend.activeCountdowns() == 0);
        try (BlockingSubscription<Map<String, Object>> single = blocking.subscribeBlocking(
                COUNTDOWN.withVariables(Map.of("from", 0)))) {
            assertThat(single.poll(WAIT)).contains(Map.of("countdown", 0));
            assertThat(single.hasNext()).as("completed by the server").isFalse();
        }
    }

    @Test
    void aBlockingSubscriptionThrowsTheStreamsFailure() {
        CountriesServer backend = closeLater(CountriesServer.start(0));
        Client client = closeLater(Client.builder().transport(TestEngines.ws(backend.webSocketUri()).build()).build());
        try (Session session = client.connect();
             BlockingSubscription<Map<String, Object>> events = session.subscribeBlocking(gql("subscription { noSuchField }"))) {
            assertThatThrownBy(events::hasNext).isInstanceOf(dev.jgql.TransportQueryException.class)
                    .hasMessageContaining("noSuchField");
        }
    }

    @Test
    void subscriptionsRetryingUsesTheClientsSchedulerAndEndsWithTheLastFailureWhenThePolicyGivesUp() {
        CountriesServer backend = closeLater(CountriesServer.start(0));
        ChaosProxy proxy = closeLater(ChaosProxy.start(backend.port()));
        Client client = closeLater(Client.builder().transport(TestEngines.ws(proxy.webSocketUri("/graphql")).build()).build());
        ReconnectingSession session = client.connectAsync(Reconnect.defaults()).orTimeout(10, TimeUnit.SECONDS).join();
        RetryPolicy<Object> twice = RetryPolicy.builder().handle(TransportClosedException.class)
                .withDelay(Duration.ofMillis(50)).withMaxAttempts(2).build();
        RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);

        Subscriptions.retrying(session, gql("subscription { countdown(from: 100000, intervalMs: 10) }"), twice)
                .subscribe(events);
        await().atMost(WAIT).until(() -> events.items().size() >= 2);
        proxy.killAll();
        await().atMost(WAIT).until(() -> proxy.liveConnections() > 0 && events.items().stream()
                .filter(event -> event.get("countdown").equals(100000)).count() == 2);
        proxy.mode(ChaosProxy.Mode.REFUSE);
        proxy.killAll();

        events.awaitTermination(WAIT);
        assertThat(events.error()).isInstanceOf(TransportClosedException.class);
        assertThat(events.items().stream().filter(event -> event.get("countdown").equals(100000)).count())
                .as("started twice, then the policy gave up").isEqualTo(2);
    }

    @Test
    void overHttpTheSessionConnectsAtOnceAndTheFirstRequestAfterTheBackendReturnsSucceedsWithinASecond() {
        CountriesServer backend = closeLater(CountriesServer.start(0));
        ChaosProxy proxy = closeLater(ChaosProxy.start(backend.port()));
        proxy.mode(ChaosProxy.Mode.REFUSE);
        FakeScheduler time = new FakeScheduler();
        Client client = closeLater(Client.builder().transport(TestEngines.http(proxy.httpUri("/graphql")).build())
                .scheduler(time).clock(time.clock()).executeTimeout(Duration.ofSeconds(30)).build());

        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(Reconnect.defaults());
        assertThat(connecting).as("nothing to connect over HTTP: at once, backend down or not").isCompleted();
        ReconnectingSession session = connecting.join();
        CompletableFuture<Map<String, Object>> call = session.execute(CONTINENT, Map.of("code", "EU"));
        await().atMost(WAIT).until(() -> session.state() == ConnectionState.RECONNECTING);
        // Backend down for a while: checks back off while the call waits at most every second.
        for (int i = 0; i < 5; i++) {
            await().atMost(WAIT).until(() -> time.nextDelay().isPresent());
            time.advance(time.nextDelay().orElseThrow());
        }
        assertThat(call).isNotDone();

        proxy.mode(ChaosProxy.Mode.PASS);
        Duration elapsed = Duration.ZERO;
        while (!call.isDone() && elapsed.compareTo(Duration.ofSeconds(2)) < 0) {
            await().atMost(WAIT).until(() -> call.isDone() || time.nextDelay().isPresent());
            if (!call.isDone()) {
                Duration step = time.nextDelay().orElseThrow();
                elapsed = elapsed.plus(step);
                time.advance(step);
                await().atMost(WAIT).pollDelay(Duration.ofMillis(20)).until(() -> true);
            }
        }

        assertThat(call).succeedsWithin(WAIT).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
        assertThat(elapsed).as("fake time the backend had to wait for once back").isLessThanOrEqualTo(Duration.ofMillis(1100));
        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void webSocketHandshakeHeadersComeFromTheSupplierOnEveryConnect() {
        ScriptedWebSocketServer server = closeLater(ScriptedWebSocketServer.builder().subprotocols("graphql-transport-ws")
                .onMessage((peer, text) -> {
                    if (text.contains("connection_init")) {
                        peer.sendText("{\"type\":\"connection_ack\"}");
                    }
                }).start());
        AtomicInteger token = new AtomicInteger();
        Client client = closeLater(Client.builder().transport(TestEngines.ws(server.uri())
                .headerSupplier(() -> Map.of("Authorization", "Bearer t" + token.incrementAndGet())).build()).build());
        client.connectAsync(Reconnect.defaults()).orTimeout(10, TimeUnit.SECONDS).join();
        ScriptedWebSocketConnection first = server.awaitConnection(WAIT);

        first.dropConnection();
        await().atMost(WAIT).until(() -> server.connections().size() == 2);

        assertThat(first.requestHeader("Authorization")).containsExactly("Bearer t1");
        assertThat(server.connections().get(1).requestHeader("Authorization")).containsExactly("Bearer t2");
    }
}

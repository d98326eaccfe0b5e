package dev.jgql.transport.ws;

import dev.jgql.TestEngines;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;
import dev.jgql.transport.TransportConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.transport.ws.Scripts.ACK;
import static dev.jgql.transport.ws.Scripts.LEGACY_WS;
import static dev.jgql.transport.ws.Scripts.TRANSPORT_WS;
import static dev.jgql.transport.ws.Scripts.awaitType;
import static dev.jgql.transport.ws.Scripts.complete;
import static dev.jgql.transport.ws.Scripts.id;
import static dev.jgql.transport.ws.Scripts.next;
import static dev.jgql.transport.ws.Scripts.parse;
import static dev.jgql.transport.ws.Scripts.type;
import static dev.jgql.transport.ws.WsTesting.WAIT;
import static dev.jgql.transport.ws.WsTesting.await;
import static dev.jgql.transport.ws.WsTesting.eventually;
import static dev.jgql.transport.ws.WsTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the transport does when a server misbehaves, each fault scripted on a real socket; time is
 * fake, so timeouts fire when the test says and never by accident.
 */
@Timeout(30)
class WebSocketFaultTest {
    private static final GraphQLRequest QUERY = Gql.gql("{ counter }");
    private static final GraphQLRequest SUBSCRIPTION = Gql.gql("subscription { countdown(from: 3) }");

    private final FakeScheduler scheduler = new FakeScheduler();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private ScriptedWebSocketServer start(ScriptedWebSocketServer.Builder builder) {
        ScriptedWebSocketServer server = builder.start();
        resources.add(server);
        return server;
    }

    private WebSocketTransport.Builder transport(ScriptedWebSocketServer server) {
        return TestEngines.ws(server.uri());
    }

    private WebSocketConnection connect(WebSocketTransport transport) {
        WebSocketConnection connection = (WebSocketConnection) WsTesting.connect(transport, scheduler);
        resources.add(() -> {
            CompletableFuture<Void> closing = connection.close();
            scheduler.advance(Duration.ofMinutes(1)); // close timeout, should a server not answer
            await(closing);
        });
        return connection;
    }

    /** Connects, starts one execute and one subscription, and returns the server side once both arrived. */
    private record Busy(WebSocketConnection connection, ScriptedWebSocketConnection server,
            CompletableFuture<ExecutionResult> execute, RecordingSubscriber<ExecutionResult> stream) {
    }

    private Busy busy(ScriptedWebSocketServer server) {
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> execute = connection.execute(QUERY);
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        peer.awaitMessage(text -> type(text).equals("subscribe") && text.contains("countdown"), WAIT);
        peer.awaitMessage(text -> type(text).equals("subscribe") && text.contains("counter"), WAIT);
        return new Busy(connection, peer, execute, stream);
    }

    private static void assertProtocolFailure(Busy busy, String expectedInMessage) {
        Throwable executeFailure = failure(busy.execute);
        assertThat(executeFailure).isInstanceOf(TransportProtocolException.class).hasMessageContaining(expectedInMessage);
        assertThat(busy.stream.awaitError(WAIT)).isInstanceOf(TransportProtocolException.class);
        assertThat(busy.server.awaitCloseFromClient(WAIT).code()).isEqualTo(4400);
        TransportClosedException reason = await(busy.connection.whenClosed().toCompletableFuture());
        assertThat(reason).isInstanceOf(WebSocketClosedException.class);
        assertThat(((WebSocketClosedException) reason).closeCode()).isEqualTo(4400);
        assertThat(((WebSocketClosedException) reason).isRetryable()).isFalse();
        assertThat(busy.connection.isOpen()).isFalse();
    }

    // ------------------------------------------------------------------ malformed messages

    @Test
    void garbageJsonClosesWith4400AndFailsEverything() {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.sendText("this is {not json");
        assertProtocolFailure(busy, "not a JSON object");
    }

    @Test
    void unknownMessageTypeClosesWith4400() {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.sendText("{\"type\":\"surprise\"}");
        assertProtocolFailure(busy, "surprise");
    }

    @Test
    void secondAckClosesWith4400() {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.sendText(ACK);
        assertProtocolFailure(busy, "second connection_ack");
    }

    @Test
    void nextWithoutIdClosesWith4400() {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.sendText("{\"type\":\"next\",\"payload\":{\"data\":{}}}");
        assertProtocolFailure(busy, "without an operation id");
    }

    @Test
    void binaryFrameClosesWith4400() {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.sendBinary("{\"type\":\"pong\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertProtocolFailure(busy, "binary frame");
    }

    @Test
    void messagesForUnknownIdsAreIgnored() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        peer.sendText(next("999", "{\"data\":{\"x\":1}}"));
        peer.sendText("{\"type\":\"error\",\"id\":\"998\",\"payload\":[{\"message\":\"late\"}]}");
        peer.sendText(complete("997"));

        CompletableFuture<ExecutionResult> execute = connection.execute(QUERY);
        String subscribe = awaitType(peer, "subscribe", WAIT);
        peer.sendText(next(id(subscribe), "{\"data\":{\"counter\":7}}"));
        peer.sendText(complete(id(subscribe)));
        peer.sendText(next(id(subscribe), "{\"data\":{\"counter\":8}}")); // late: the operation is finished

        assertThat(await(execute).data()).isEqualTo(Map.of("counter", 7));
        assertThat(connection.isOpen()).isTrue();
        assertThat(await(connection.execute(QUERY).completeOnTimeout(null, 200, java.util.concurrent.TimeUnit.MILLISECONDS)))
                .isNull(); // the second query is unanswered, but nothing broke
    }

    @Test
    void fragmentedMessagesAreReassembled() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> execute = connection.execute(QUERY);
        String id = id(awaitType(peer, "subscribe", WAIT));
        String message = next(id, "{\"data\":{\"counter\":\"é✓ fragmented\"}}");
        peer.sendTextFragments(message.substring(0, 5), message.substring(5, 30), message.substring(30));
        assertThat(await(execute).data()).isEqualTo(Map.of("counter", "é✓ fragmented"));
    }

    @Test
    void anOversizedMessageClosesTheLink() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).maxMessageSize(1024).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> execute = connection.execute(QUERY);
        String id = id(awaitType(peer, "subscribe", WAIT));
        String big = "x".repeat(600);
        peer.sendTextFragments(next(id, "{\"data\":{\"counter\":\"" + big), big + "\"}}");

        assertThat(failure(execute)).isInstanceOf(TransportProtocolException.class).hasMessageContaining("maxMessageSize");
        assertThat(peer.awaitCloseFromClient(WAIT).code()).isEqualTo(1008);
        WebSocketClosedException reason = (WebSocketClosedException) await(connection.whenClosed().toCompletableFuture());
        assertThat(reason.closeCode()).isEqualTo(1009);
    }

    // ------------------------------------------------------------------ errors are results

    @Test
    void anErrorMessageIsAResultForExecuteAndEndsAStream() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> execute = connection.execute(QUERY);
        String executeId = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText("{\"type\":\"error\",\"id\":\"" + executeId + "\",\"payload\":[{\"message\":\"Validation failed\"}]}");
        ExecutionResult result = await(execute);
        assertThat(result.errors()).extracting(e -> e.message()).containsExactly("Validation failed");

        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        String streamId = id(peer.awaitMessage(text -> text.contains("countdown"), WAIT));
        peer.sendText(next(streamId, "{\"data\":{\"countdown\":3}}"));
        peer.sendText("{\"type\":\"error\",\"id\":\"" + streamId + "\",\"payload\":[{\"message\":\"source failed\"}]}");
        assertThat(stream.awaitError(WAIT)).isInstanceOf(TransportQueryException.class).hasMessageContaining("source failed");
        assertThat(stream.items()).hasSize(1);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aNextWithOnlyErrorsDoesNotEndTheStream() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"errors\":[{\"message\":\"one event failed\"}]}"));
        peer.sendText(next(id, "{\"data\":{\"countdown\":2}}"));
        peer.sendText(complete(id));
        stream.awaitTermination(WAIT);
        assertThat(stream.isCompleted()).isTrue();
        assertThat(stream.items()).hasSize(2);
        assertThat(stream.items().get(0).hasErrors()).isTrue();
        assertThat(stream.items().get(0).isDataPresent()).isFalse();
    }

    // ------------------------------------------------------------------ operations

    @Test
    void idsAreUniqueAndCancelSendsComplete() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        RecordingSubscriber<ExecutionResult> first = new RecordingSubscriber<>(1);
        RecordingSubscriber<ExecutionResult> second = new RecordingSubscriber<>(1);
        connection.subscribe(SUBSCRIPTION).subscribe(first);
        connection.subscribe(SUBSCRIPTION).subscribe(second);
        eventually(() -> peer.messages().stream().filter(m -> type(m).equals("subscribe")).count() == 2, "two subscribes");
        List<String> ids = peer.messages().stream().filter(m -> type(m).equals("subscribe")).map(Scripts::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> !id.isEmpty());

        first.awaitSubscription(WAIT);
        first.cancel();
        String stop = awaitType(peer, "complete", WAIT);
        assertThat(id(stop)).isIn(ids);
        assertThat(parse(stop)).doesNotContainKey("payload");
        eventually(() -> connection.activeOperations() == 1, "one operation left");
    }

    @Test
    void nothingIsSentBeforeTheFirstRequest() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        RecordingSubscriber<ExecutionResult> lazy = new RecordingSubscriber<>();
        connection.subscribe(SUBSCRIPTION).subscribe(lazy);
        lazy.awaitSubscription(WAIT);
        assertThat(await(connection.execute(QUERY).completeOnTimeout(null, 100, java.util.concurrent.TimeUnit.MILLISECONDS)))
                .isNull();
        assertThat(peer.messages()).noneMatch(text -> text.contains("countdown"));
        lazy.request(1);
        peer.awaitMessage(text -> text.contains("countdown"), WAIT);
    }

    @Test
    void aSlowSubscriberOverflowsItsBufferAlone() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).subscriptionBufferSize(2).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        RecordingSubscriber<ExecutionResult> slow = new RecordingSubscriber<>(1);
        connection.subscribe(SUBSCRIPTION).subscribe(slow);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"countdown\":0}}"));
        slow.awaitItems(1, WAIT); // its one requested event; the next two fill the buffer, the third overflows
        for (int i = 1; i < 4; i++) {
            peer.sendText(next(id, "{\"data\":{\"countdown\":" + i + "}}"));
        }
        // The WebSocket transport still throws its own, deprecated subclass, so older catch blocks keep working.
        assertThat(slow.awaitError(WAIT)).isInstanceOf(dev.jgql.SubscriptionBufferOverflowException.class)
                .hasMessageContaining("subscriptionBufferSize")
                .satisfies(error -> assertThat(error.getClass().getName())
                        .isEqualTo("dev.jgql.transport.ws.SubscriptionBufferOverflowException"));
        assertThat(id(awaitType(peer, "complete", WAIT))).isEqualTo(id);
        assertThat(slow.items()).hasSize(1);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void serverPingIsAnsweredWithPongEvenBeforeTheAck() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS)
                .onMessage((peer, text) -> {
                    if (type(text).equals("connection_init")) {
                        peer.sendText("{\"type\":\"ping\",\"payload\":{\"at\":1}}");
                    } else if (type(text).equals("pong") && peer.messages().stream().filter(m -> type(m).equals("pong")).count() == 1) {
                        peer.sendText("{\"type\":\"pong\"}"); // unsolicited: ignored
                        peer.sendText(ACK);
                        peer.sendText("{\"type\":\"ping\",\"id\":null,\"payload\":{}}");
                    }
                }));
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        eventually(() -> peer.messages().stream().filter(m -> type(m).equals("pong")).count() == 2, "two pongs");
        assertThat(connection.isOpen()).isTrue();
    }

    // ------------------------------------------------------------------ close codes

    @ParameterizedTest(name = "close {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1012, 1013, 1014, 3000, 4000, 4400, 4401,
            4403, 4406, 4408, 4409, 4429, 4500, 4999})
    void eachCloseCodeFailsPendingOperationsWithItsClassification(int code) {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.close(code, "scripted " + code);

        Throwable executeFailure = failure(busy.execute);
        assertThat(executeFailure).isInstanceOf(WebSocketClosedException.class);
        WebSocketClosedException closed = (WebSocketClosedException) executeFailure;
        assertThat(closed.closeCode()).isEqualTo(code);
        assertThat(closed.closeReason()).isEqualTo("scripted " + code);
        assertThat(closed.isRetryable()).isEqualTo(CloseCodes.isRetryable(code));
        assertThat(closed.requestMayHaveBeenSent()).isTrue();
        assertThat(closed).hasMessageContaining(String.valueOf(code));

        Throwable streamFailure = busy.stream.awaitError(WAIT);
        assertThat(streamFailure).isInstanceOf(WebSocketClosedException.class);
        assertThat(((WebSocketClosedException) streamFailure).closeCode()).isEqualTo(code);
        assertThat(await(busy.connection.whenClosed().toCompletableFuture())).isInstanceOf(WebSocketClosedException.class);
        // The client's answer: the transport's 1000 on the JDK engine; Vert.x echoes the server's
        // code by itself (RFC 6455 5.5.1) before the transport sees the close frame.
        assertThat(busy.server.awaitCloseFromClient(WAIT).code()).isEqualTo(TestEngines.isJdk() ? 1000 : code);
        TransportClosedException late = (TransportClosedException) failure(busy.connection.execute(QUERY));
        assertThat(((TransportConnectionFailedException) late).requestMayHaveBeenSent()).isFalse();
    }

    @Test
    void duplicateIdRejectionIsFatal() {
        Busy busy = busy(start(Scripts.acking()));
        busy.server.close(4409, "Subscriber for 1 already exists");
        WebSocketClosedException closed = (WebSocketClosedException) failure(busy.execute);
        assertThat(closed.closeCode()).isEqualTo(4409);
        assertThat(closed.isRetryable()).isFalse();
        assertThat(closed).hasMessageContaining("already exists");
    }

    @Test
    void aCloseMidSubscriptionEndsTheStreamWithAClosedException() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"countdown\":3}}"));
        stream.awaitItems(1, WAIT);
        peer.close(1001, "going away");
        Throwable error = stream.awaitError(WAIT);
        assertThat(error).isInstanceOf(TransportClosedException.class).isInstanceOf(WebSocketClosedException.class);
        assertThat(((WebSocketClosedException) error).isRetryable()).isTrue();
        assertThat(stream.items()).hasSize(1);
        assertThat(stream.violations()).isEmpty();
    }

    @Test
    void aDroppedConnectionIs1006AndSaysWhichOperationsLeft() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        // The ack can be here before the JDK completes connection_init's send; until then a call waits in the queue.
        eventually(connection::outboxIdle, "connection_init handed over");
        peer.pauseReading();
        // A mutation too large for the TCP buffers: its send stalls, so the next one waits in the queue.
        GraphQLRequest big = Gql.gql("mutation m($pad: String) { increment(requestId: $pad) }")
                .withVariables(Map.of("pad", "x".repeat(32 * 1024 * 1024)));
        CompletableFuture<ExecutionResult> sent = connection.execute(big);
        CompletableFuture<ExecutionResult> queued = connection.execute(Gql.gql("mutation { increment }"));
        peer.dropConnection();

        TransportConnectionFailedException first = (TransportConnectionFailedException) failure(sent);
        TransportConnectionFailedException second = (TransportConnectionFailedException) failure(queued);
        assertThat(first.requestMayHaveBeenSent()).isTrue();
        assertThat(second.requestMayHaveBeenSent()).isFalse();
        assertThat(second).isInstanceOf(WebSocketClosedException.class);
        assertThat(((WebSocketClosedException) second).closeCode()).isEqualTo(1006);
        assertThat(((WebSocketClosedException) second).isRetryable()).isTrue();
        assertThat(second).as("a drop is a drop, not a close by the server").hasMessageContaining("dropped")
                .hasMessageNotContaining("closed the WebSocket");
    }

    // ------------------------------------------------------------------ timers on fake time

    @Test
    void noAckFailsTheConnectAfterTheAckTimeout() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS));
        CompletableFuture<TransportConnection> connecting = transport(server).ackTimeout(Duration.ofSeconds(7))
                .initPayload(Map.of("token", "s3cr3t-token")).build().connect(WsTesting.context(scheduler));
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        assertThat(awaitType(peer, "connection_init", WAIT)).contains("s3cr3t-token");
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(connecting).isNotDone();
        scheduler.advance(Duration.ofSeconds(1));

        Throwable failure = failure(connecting);
        assertThat(failure).isInstanceOf(WebSocketClosedException.class).hasMessageContaining("connection_ack")
                .hasMessageNotContaining("s3cr3t");
        assertThat(((WebSocketClosedException) failure).closeCode()).isEqualTo(4504);
        assertThat(((WebSocketClosedException) failure).isRetryable()).isTrue();
        assertThat(((WebSocketClosedException) failure).requestMayHaveBeenSent()).isFalse();
        assertThat(peer.awaitCloseFromClient(WAIT).code()).isEqualTo(4504);
    }

    @Test
    void aServerThatNeverAnswersTheUpgradeFailsTheConnectAfterTheConnectTimeout() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<TransportConnection> connecting = WebSocketTransport
                    .builder(URI.create("ws://127.0.0.1:" + mute.getLocalPort() + "/graphql"))
                    .connectTimeout(Duration.ofSeconds(4)).build().connect(WsTesting.context(scheduler));
            eventually(() -> scheduler.pendingTaskCount() == 1, "the connect timer");
            scheduler.advance(Duration.ofSeconds(4));
            Throwable failure = failure(connecting);
            assertThat(failure).isInstanceOf(TransportConnectionFailedException.class).hasMessageContaining("connectTimeout");
            assertThat(((TransportConnectionFailedException) failure).requestMayHaveBeenSent()).isFalse();
        }
    }

    @Test
    void aClientWithAFakeSchedulerSeesTheAckTimeout() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS));
        dev.jgql.Client client = dev.jgql.Client.builder().transport(transport(server).build()).scheduler(scheduler).build();
        CompletableFuture<dev.jgql.AsyncSession> connecting = client.connectAsync();
        awaitType(server.awaitConnection(WAIT), "connection_init", WAIT);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(failure(connecting)).isInstanceOf(WebSocketClosedException.class).hasMessageContaining("ackTimeout");
    }

    @Test
    void kaAndPingBeforeTheAckAreTolerated() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS)
                .onMessage((peer, text) -> {
                    if (type(text).equals("connection_init")) {
                        peer.sendText("{\"type\":\"ping\"}");
                        peer.sendText(ACK);
                    }
                }));
        WebSocketConnection connection = connect(transport(server).build());
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aCallThatTimesOutMakesTheLinkProveItIsAliveWithinTheLivenessTimeout() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).pingInterval(Duration.ofSeconds(20))
                .pongTimeout(Duration.ofSeconds(10)).livenessTimeout(Duration.ofSeconds(1)).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> pending = connection.execute(QUERY);
        awaitType(peer, "subscribe", WAIT);
        peer.goSilent();

        connection.timedOut(dev.jgql.GraphQLCall.of(QUERY)); // what the session does when a call times out
        peer.awaitPings(1, WAIT);
        scheduler.advance(Duration.ofMillis(999));
        assertThat(connection.isOpen()).as("not yet: the deadline is a second").isTrue();
        scheduler.advance(Duration.ofMillis(1));

        assertThat(connection.isOpen()).as("found dead a second after the timeout, not 30 s").isFalse();
        assertThat(failure(pending)).isInstanceOf(WebSocketClosedException.class).hasMessageContaining("livenessTimeout");
    }

    @Test
    void aLiveLinkAnswersTheLivenessPingAndStaysUp() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).livenessTimeout(Duration.ofSeconds(1)).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);

        connection.timedOut(dev.jgql.GraphQLCall.of(QUERY));
        peer.awaitPings(1, WAIT);
        eventually(() -> !connection.awaitingPong(), "the pong arrived");
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aServerThatStopsReadingIsFoundDeadWithinTwoLivenessTimeoutsOfASilentCall() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).pingInterval(Duration.ofSeconds(20))
                .pongTimeout(Duration.ofSeconds(10)).build()); // livenessTimeout: its default, 1 s
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        // The ack can be here before the JDK completes connection_init's send; a call made in that
        // moment waits in the queue and is truly not sent when the link dies (CI saw it once).
        eventually(connection::outboxIdle, "connection_init handed over");
        // The server stops reading and never closes: the call, and every ping after it, lie unread.
        peer.pauseReading();
        CompletableFuture<ExecutionResult> pending = connection.execute(QUERY);

        scheduler.advance(Duration.ofMillis(999));
        assertThat(connection.awaitingPong()).as("silent for less than the liveness timeout: no ping yet").isFalse();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(connection.awaitingPong()).as("silent for a second with a call waiting: a ping is out").isTrue();
        scheduler.advance(Duration.ofMillis(999));
        assertThat(connection.isOpen()).as("the pong still has 1 ms").isTrue();
        scheduler.advance(Duration.ofMillis(1));

        assertThat(connection.isOpen()).as("dead 2 s after the call, not at the 20 s keep-alive").isFalse();
        TransportConnectionFailedException failure = (TransportConnectionFailedException) failure(pending);
        assertThat(failure).isInstanceOf(WebSocketClosedException.class)
                .hasMessageContaining("silent for 1000 ms while calls waited").hasMessageContaining("livenessTimeout");
        assertThat(failure.requestMayHaveBeenSent()).isTrue();
        assertThat(((WebSocketClosedException) failure).closeCode()).isEqualTo(1006);
    }

    @Test
    void aSlowAnswerOnALiveLinkCostsPingsButNotTheLink() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> slow = connection.execute(QUERY);
        String subscribe = awaitType(peer, "subscribe", WAIT);

        for (int second = 1; second <= 5; second++) {
            scheduler.advance(Duration.ofSeconds(1));
            if (connection.awaitingPong()) {
                eventually(() -> !connection.awaitingPong(), "the pong to the silence check");
            }
        }
        assertThat(connection.isOpen()).isTrue();
        assertThat(peer.pingsReceived()).as("about one ping per second of silence").isBetween(2, 5);

        peer.sendText(next(id(subscribe), "{\"data\":{\"counter\":7}}"));
        assertThat(await(slow).data()).containsEntry("counter", 7);
        int pings = peer.pingsReceived();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(peer.pingsReceived()).as("no call waits: no silence checks").isEqualTo(pings);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void anIdleLinkIsNotPingedBeforeTheKeepAliveInterval() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = connect(transport(server).pingInterval(Duration.ofSeconds(20)).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        awaitType(peer, "subscribe", WAIT);

        scheduler.advance(Duration.ofSeconds(19));
        assertThat(connection.awaitingPong()).as("a quiet subscription is not a waiting call").isFalse();
        assertThat(peer.pingsReceived()).isZero();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aServerThatStopsAnsweringPingsIsFoundWithinIntervalPlusTimeout() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        // The silence watch (livenessTimeout) would find this link first; here the keep-alive alone is tested.
        WebSocketConnection connection = connect(transport(server).pingInterval(Duration.ofSeconds(20))
                .pongTimeout(Duration.ofSeconds(10)).livenessTimeout(Duration.ofMinutes(5)).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);

        // A live server: the ping is answered and the link stays up past the deadline.
        scheduler.advance(Duration.ofSeconds(20));
        peer.awaitPings(1, WAIT);
        eventually(() -> !connection.awaitingPong(), "the pong arrived");
        scheduler.advance(Duration.ofSeconds(15));
        assertThat(connection.isOpen()).isTrue();

        // Now a half-open link: nothing is answered any more.
        CompletableFuture<ExecutionResult> pending = connection.execute(QUERY);
        awaitType(peer, "subscribe", WAIT);
        peer.goSilent();
        scheduler.advance(Duration.ofSeconds(5)); // 20 s after the last pong: the next ping goes out
        peer.awaitPings(2, WAIT);
        assertThat(connection.isOpen()).isTrue();
        scheduler.advance(Duration.ofSeconds(10));

        assertThat(connection.isOpen()).isFalse();
        TransportConnectionFailedException failure = (TransportConnectionFailedException) failure(pending);
        assertThat(failure).isInstanceOf(WebSocketClosedException.class).hasMessageContaining("no pong");
        assertThat(failure.requestMayHaveBeenSent()).isTrue();
        TransportClosedException reason = await(connection.whenClosed().toCompletableFuture());
        assertThat(reason).isInstanceOf(TransportConnectionFailedException.class).hasMessageContaining("dead");
        assertThat(peer.awaitCloseFromClient(WAIT).code()).isEqualTo(1006);
    }

    @Test
    void protocolPingsExpectAPongMessage() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS)
                .onMessage((peer, text) -> {
                    if (type(text).equals("connection_init")) {
                        peer.sendText(ACK);
                    }
                }));
        WebSocketConnection connection = connect(transport(server).pingInterval(Duration.ZERO)
                .protocolPingInterval(Duration.ofSeconds(30)).pongTimeout(Duration.ofSeconds(5)).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        scheduler.advance(Duration.ofSeconds(30));
        awaitType(peer, "ping", WAIT);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(connection.isOpen()).isFalse();
        assertThat(await(connection.whenClosed().toCompletableFuture())).hasMessageContaining("no pong message");
    }

    @Test
    void legacyKeepAliveTimeout() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(LEGACY_WS)
                .onMessage((peer, text) -> {
                    if (type(text).equals("connection_init")) {
                        peer.sendText("{\"type\":\"ka\"}");
                        peer.sendText(ACK);
                        peer.sendText("{\"type\":\"ka\"}");
                    }
                }));
        WebSocketConnection connection = connect(transport(server).protocol(WebSocketProtocol.GRAPHQL_WS)
                .pingInterval(Duration.ZERO).keepAliveTimeout(Duration.ofSeconds(60)).build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        scheduler.advance(Duration.ofSeconds(59));
        peer.sendText("{\"type\":\"ka\"}");
        // The ka re-arms the deadline once it has been read: wait for the fresh timer, then 59 s more.
        eventually(() -> scheduler.nextDelay().map(d -> d.getSeconds() == 60).orElse(false), "the re-armed deadline");
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(connection.isOpen()).isTrue();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(connection.isOpen()).isFalse();
        assertThat(await(connection.whenClosed().toCompletableFuture())).hasMessageContaining("'ka'");
    }

    @Test
    void closeNeverWaitsLongerThanTheCloseTimeout() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = (WebSocketConnection) WsTesting.connect(
                transport(server).closeTimeout(Duration.ofSeconds(3)).build(), scheduler);
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        peer.goSilent();
        CompletableFuture<ExecutionResult> pending = connection.execute(QUERY);
        CompletableFuture<Void> closing = connection.close();
        assertThat(failure(pending)).isExactlyInstanceOf(TransportClosedException.class).hasMessageContaining("client");
        peer.awaitCloseFromClient(WAIT);
        assertThat(closing).isNotDone();
        scheduler.advance(Duration.ofSeconds(3));
        await(closing);
        assertThat(connection.close()).isDone();
    }

    @Test
    void closeWithALiveServerCompletesWithoutTimers() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketConnection connection = (WebSocketConnection) WsTesting.connect(transport(server).build(), scheduler);
        await(connection.close());
        assertThat(server.awaitConnection(WAIT).awaitCloseFromClient(WAIT).code()).isEqualTo(1000);
        assertThat(failure(connection.execute(QUERY))).isExactlyInstanceOf(TransportClosedException.class);
        RecordingSubscriber<ExecutionResult> late = new RecordingSubscriber<>(1);
        connection.subscribe(SUBSCRIPTION).subscribe(late);
        assertThat(late.awaitError(WAIT)).isInstanceOf(TransportClosedException.class);
    }

    // ------------------------------------------------------------------ connecting

    @Test
    void initPayloadSupplierIsCalledOnEveryConnect() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        AtomicInteger calls = new AtomicInteger();
        WebSocketTransport transport = transport(server)
                .initPayloadSupplier(() -> Map.of("token", "t" + calls.incrementAndGet())).build();
        connect(transport);
        connect(transport);
        assertThat(calls).hasValue(2);
        assertThat(parse(awaitType(server.awaitConnection(WAIT), "connection_init", WAIT)).get("payload"))
                .isEqualTo(Map.of("token", "t1"));
        assertThat(parse(awaitType(server.awaitConnection(WAIT), "connection_init", WAIT)).get("payload"))
                .isEqualTo(Map.of("token", "t2"));
    }

    @Test
    void aThrowingInitPayloadSupplierFailsTheConnectWithoutItsMessage() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        WebSocketTransport transport = transport(server).initPayloadSupplier(() -> {
            throw new IllegalStateException("vault said no for s3cr3t");
        }).build();
        Throwable failure = failure(transport.connect(WsTesting.context(scheduler)));
        assertThat(failure).isInstanceOf(TransportException.class).hasMessageNotContaining("s3cr3t");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void headersGoWithTheHandshake() {
        ScriptedWebSocketServer server = start(Scripts.acking());
        connect(transport(server).header("Authorization", "Bearer abc").build());
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        assertThat(peer.requestHeader("authorization")).containsExactly("Bearer abc");
        assertThat(peer.offeredSubprotocols()).containsExactly(TRANSPORT_WS);
    }

    @Test
    void fallsBackToTheLegacyProtocolOn4406() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS, LEGACY_WS)
                .onMessage(Scripts::legacyOnly));
        WebSocketTransport transport = transport(server).build();
        WebSocketConnection connection = connect(transport);
        assertThat(connection.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_WS);
        assertThat(transport.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_WS);
        assertThat(server.awaitConnection(WAIT).offeredSubprotocols()).containsExactly(TRANSPORT_WS);
        ScriptedWebSocketConnection legacy = server.awaitConnection(WAIT);
        assertThat(legacy.offeredSubprotocols()).containsExactly(LEGACY_WS);

        assertThat(await(connection.execute(QUERY)).data()).isEqualTo(Map.of("counter", 1));
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(1);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        stream.awaitItems(1, WAIT);
        stream.cancel();
        assertThat(awaitType(legacy, "stop", WAIT)).contains("\"id\"");

        // The detected protocol is remembered: the next connect goes straight to it.
        connect(transport);
        assertThat(server.awaitConnection(WAIT).offeredSubprotocols()).containsExactly(LEGACY_WS);
    }

    @Test
    void fallsBackWhenTheHandshakeIsRefused() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(LEGACY_WS)
                .refuseHandshake(400, offered -> offered.contains(TRANSPORT_WS))
                .onMessage(Scripts::legacyOnly));
        WebSocketConnection connection = connect(transport(server).build());
        assertThat(connection.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_WS);
        assertThat(server.awaitConnection(WAIT).isRefused()).isTrue();
    }

    @Test
    void fallsBackWhenTheHandshakeNamesNoSubprotocol() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder()
                .subprotocolSelector(offered -> offered.contains(LEGACY_WS) ? LEGACY_WS : null)
                .onMessage(Scripts::legacyOnly));
        WebSocketConnection connection = connect(transport(server).build());
        assertThat(connection.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_WS);
        assertThat(connection.negotiatedSubprotocol()).isEqualTo(LEGACY_WS);
    }

    @Test
    void aForcedProtocolDoesNotFallBack() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(TRANSPORT_WS, LEGACY_WS)
                .onMessage(Scripts::legacyOnly));
        Throwable failure = failure(transport(server).protocol(WebSocketProtocol.GRAPHQL_TRANSPORT_WS).build()
                .connect(WsTesting.context(scheduler)));
        assertThat(failure).isInstanceOf(WebSocketClosedException.class);
        assertThat(((WebSocketClosedException) failure).closeCode()).isEqualTo(4406);
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void whenNeitherProtocolWorksTheErrorSaysSo() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().refuseHandshake(400));
        Throwable failure = failure(transport(server).build().connect(WsTesting.context(scheduler)));
        assertThat(failure).isInstanceOf(TransportServerException.class).hasMessageContaining("neither");
        assertThat(((TransportServerException) failure).statusCode()).isEqualTo(400);
        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aRefusedHandshakeWith401DoesNotFallBack() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().refuseHandshake(401));
        Throwable failure = failure(transport(server).build().connect(WsTesting.context(scheduler)));
        assertThat(failure).isInstanceOf(TransportServerException.class).hasMessageContaining("401");
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void aRefusedConnectionWasNotSent() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Throwable failure = failure(TestEngines.ws(URI.create("ws://127.0.0.1:" + port + "/graphql")).build()
                .connect(WsTesting.context(scheduler)));
        assertThat(failure).isInstanceOf(TransportConnectionFailedException.class).hasMessageContaining("Is the server running");
        assertThat(((TransportConnectionFailedException) failure).requestMayHaveBeenSent()).isFalse();
    }

    @Test
    void legacyConnectionErrorIsARejectionThatRetryingCannotFix() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(LEGACY_WS)
                .onMessage((peer, text) -> peer.sendText("{\"type\":\"connection_error\",\"payload\":\"bad token\"}")));
        Throwable failure = failure(transport(server).protocol(WebSocketProtocol.GRAPHQL_WS).build()
                .connect(WsTesting.context(scheduler)));
        assertThat(failure).isInstanceOf(WebSocketClosedException.class).hasMessageContaining("bad token");
        assertThat(((WebSocketClosedException) failure).closeCode()).isEqualTo(4403);
        assertThat(((WebSocketClosedException) failure).isRetryable()).isFalse();
    }

    @Test
    void legacyErrorShapesAreResults() {
        ScriptedWebSocketServer server = start(ScriptedWebSocketServer.builder().subprotocols(LEGACY_WS)
                .onMessage((peer, text) -> {
                    String type = type(text);
                    if (type.equals("connection_init")) {
                        peer.sendText(ACK);
                        peer.sendText("{\"type\":\"ka\"}");
                    } else if (type.equals("start")) {
                        String id = id(text);
                        peer.sendText(text.contains("counter")
                                ? "{\"type\":\"error\",\"id\":\"" + id + "\",\"payload\":\"Unknown field\"}"
                                : "{\"type\":\"error\",\"id\":\"" + id + "\",\"payload\":{\"message\":\"boom\"}}");
                        peer.sendText("{\"type\":\"error\",\"payload\":\"not tied to an operation\"}");
                    }
                }));
        WebSocketConnection connection = connect(transport(server).protocol(WebSocketProtocol.GRAPHQL_WS).build());
        assertThat(await(connection.execute(QUERY)).errors()).extracting(e -> e.message()).containsExactly("Unknown field");
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(1);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        assertThat(stream.awaitError(WAIT)).isInstanceOf(TransportQueryException.class).hasMessageContaining("boom");
        assertThat(connection.isOpen()).isTrue();
    }
}

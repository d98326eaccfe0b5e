package dev.jgql.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scripted server against the JDK's WebSocket client. */
@Timeout(20)
class ScriptedWebSocketServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().executor(executor).build();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private WebSocket open(ScriptedWebSocketServer server, String... subprotocols) throws Exception {
        WebSocket.Builder builder = client.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(server.uri(), recorder).get(5, TimeUnit.SECONDS);
    }

    @Test
    void selectsTheFirstAcceptedSubprotocolAndRecordsMessages() throws Exception {
        try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder()
                .subprotocols("b", "a")
                .onMessage((connection, text) -> connection.sendText("echo:" + text))
                .start()) {
            WebSocket socket = open(server, "x", "a", "b");
            assertThat(socket.getSubprotocol()).isEqualTo("a");
            ScriptedWebSocketConnection connection = server.awaitConnection(WAIT);
            assertThat(connection.offeredSubprotocols()).containsExactly("x", "a", "b");
            assertThat(connection.selectedSubprotocol()).contains("a");

            socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
            assertThat(connection.nextMessage(WAIT)).isEqualTo("hello");
            assertThat(recorder.next()).isEqualTo("text:echo:hello");
            assertThat(connection.awaitMessageContaining("ell", WAIT)).isEqualTo("hello");
            assertThat(server.uri().toString()).startsWith("ws://127.0.0.1:").endsWith("/graphql");
        }
    }

    @Test
    void sendsFragmentsPingsAndCloseCodes() throws Exception {
        try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder().start()) {
            WebSocket socket = open(server);
            ScriptedWebSocketConnection connection = server.awaitConnection(WAIT);
            assertThat(connection.selectedSubprotocol()).isEmpty();
            connection.sendTextFragments("ab", "cd", "ef");
            assertThat(recorder.next()).isEqualTo("fragment:ab");
            assertThat(recorder.next()).isEqualTo("fragment:cd");
            assertThat(recorder.next()).isEqualTo("text:ef");
            connection.sendPing(new byte[] {1});
            assertThat(recorder.next()).isEqualTo("ping");
            connection.close(4409, "Subscriber for 1 already exists");
            assertThat(recorder.next()).isEqualTo("close:4409:Subscriber for 1 already exists");
            assertThat(connection.awaitCloseFromClient(WAIT).code()).isEqualTo(4409);
            assertThat(socket.isInputClosed()).isTrue();
        }
    }

    @Test
    void answersPingsUntilToldNotTo() throws Exception {
        try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder().start()) {
            WebSocket socket = open(server);
            ScriptedWebSocketConnection connection = server.awaitConnection(WAIT);
            socket.sendPing(ByteBuffer.wrap(new byte[] {7})).get(5, TimeUnit.SECONDS);
            assertThat(recorder.next()).isEqualTo("pong");
            connection.goSilent();
            socket.sendPing(ByteBuffer.wrap(new byte[] {8})).get(5, TimeUnit.SECONDS);
            connection.awaitPings(2, WAIT);
            socket.sendText("ignored but recorded", true).get(5, TimeUnit.SECONDS);
            assertThat(connection.nextMessage(WAIT)).isEqualTo("ignored but recorded");
            assertThat(recorder.events.poll(100, TimeUnit.MILLISECONDS)).isNull();
            socket.abort();
        }
    }

    @Test
    void refusesHandshakesAndDropsConnections() throws Exception {
        try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder()
                .refuseHandshake(426, offered -> offered.contains("old")).subprotocols("new").start()) {
            assertThatThrownBy(() -> open(server, "old"))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
            assertThat(server.awaitConnection(WAIT).isRefused()).isTrue();

            WebSocket socket = open(server, "new");
            ScriptedWebSocketConnection connection = server.awaitConnection(WAIT);
            assertThat(server.connections()).hasSize(2);
            connection.dropConnection();
            assertThat(recorder.next()).startsWith("error:").contains("reset");
            assertThat(connection.awaitCloseFromClient(WAIT).code()).isEqualTo(1006);
            assertThat(socket.isInputClosed()).isTrue();
        }
    }

    @Test
    void awaitingIsBounded() {
        try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder().start()) {
            assertThatThrownBy(() -> server.awaitConnection(Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
        }
    }

    /** Records what the client receives, one event per callback. */
    private static final class Recorder implements WebSocket.Listener {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        String next() throws InterruptedException {
            String event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("an event within 5 s").isNotNull();
            return event;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            events.add((last ? "text:" : "fragment:") + data);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            events.add("ping");
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            events.add("pong");
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close:" + statusCode + ":" + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add("error:" + error);
        }
    }

    static {
        // keep the unused-import checker quiet on older JDKs
        List.of(CompletableFuture.class);
    }
}

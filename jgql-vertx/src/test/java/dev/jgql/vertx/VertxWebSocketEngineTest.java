package dev.jgql.vertx;

import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.EngineWebSocket;
import dev.jgql.engine.UpgradeRejectedException;
import dev.jgql.engine.WebSocketEngine;
import dev.jgql.engine.WebSocketEngineRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Vert.x WebSocket engine against a Vert.x WebSocket server: bytes, demand, pongs, closes, refusals. */
@Timeout(60)
class VertxWebSocketEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx serverVertx;
    private HttpServer server;
    private final CompletableFuture<ServerWebSocket> serverSide = new CompletableFuture<>();
    private WebSocketEngine engine;

    @BeforeEach
    void start() throws Exception {
        serverVertx = Vertx.vertx();
        server = serverVertx.createHttpServer(new HttpServerOptions().addWebSocketSubProtocol("graphql-transport-ws"))
                .requestHandler(request -> {
                    if (request.path().equals("/refuse")) {
                        request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                                .end("{\"error\":\"no token\"}");
                        return;
                    }
                    request.toWebSocket().onSuccess(serverSide::complete);
                });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        engine = VertxEngine.create().newWebSocketEngine(EngineSettings.builder().name("ws").build());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close().get(10, TimeUnit.SECONDS);
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private EngineWebSocket open(String path, RecordingListener listener) throws Exception {
        return engine.open(WebSocketEngineRequest.builder(URI.create("ws://127.0.0.1:" + server.actualPort() + path))
                .subprotocols(List.of("graphql-transport-ws")).header("X-Test", "yes").build(), listener)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void textArrivesAsUtf8BytesOnlyAsFastAsItIsAskedFor() throws Exception {
        RecordingListener listener = new RecordingListener();
        EngineWebSocket socket = open("/graphql", listener);
        ServerWebSocket peer = serverSide.get(10, TimeUnit.SECONDS);
        assertThat(socket.subprotocol()).isEqualTo("graphql-transport-ws");
        assertThat(peer.headers().get("X-Test")).isEqualTo("yes");

        peer.writeTextMessage("{\"a\":\"é✓\"}");
        peer.writeFrame(WebSocketFrame.textFrame("{\"b\":", false));
        peer.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("2}"), true));
        peer.writeTextMessage("third");
        socket.request(1);
        assertThat(listener.await(1, WAIT)).containsExactly("text:{\"a\":\"é✓\"}");

        // A ping's pong comes back after everything the server sent before: those frames have arrived,
        // and still only what was asked for was delivered.
        socket.sendPing(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        assertThat(listener.await(2, WAIT)).containsExactly("text:{\"a\":\"é✓\"}", "pong:p");

        socket.request(3); // two fragments and the third message
        assertThat(listener.await(4, WAIT)).containsExactly("text:{\"a\":\"é✓\"}", "pong:p", "text:{\"b\":2}", "text:third");
        assertThat(listener.threads()).allMatch(name -> name.contains("jgql-vertx-") && name.contains("-eventloop-thread-"));
        assertThat(listener.events()).noneMatch(event -> event.startsWith("chars:") || event.equals("CONCURRENT CALL"));
    }

    @Test
    void sendsTextAndTheServersCloseArrivesWithItsCodeAndReason() throws Exception {
        RecordingListener listener = new RecordingListener();
        EngineWebSocket socket = open("/graphql", listener);
        ServerWebSocket peer = serverSide.get(10, TimeUnit.SECONDS);
        CompletableFuture<String> received = new CompletableFuture<>();
        peer.textMessageHandler(received::complete);
        socket.request(1);

        socket.sendText("{\"type\":\"connection_init\"}").get(10, TimeUnit.SECONDS);
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"connection_init\"}");
        peer.close((short) 4400, "Invalid message received");

        assertThat(listener.await(1, WAIT)).containsExactly("close:4400:Invalid message received");
        assertThat(socket.isInputClosed()).isTrue();
        assertThat(socket.isOutputClosed()).as("Vert.x answered the close frame itself").isTrue();
    }

    @Test
    void aRefusedUpgradeKeepsStatusHeadersAndBody() {
        RecordingListener listener = new RecordingListener();
        assertThatThrownBy(() -> open("/refuse", listener)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(UpgradeRejectedException.class, refused -> {
                    assertThat(refused.statusCode()).isEqualTo(401);
                    assertThat(refused.headers().firstValue("www-authenticate")).contains("Bearer");
                    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"no token\"}");
                });
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void abortDropsTheConnectionWithoutACloseFrame() throws Exception {
        RecordingListener listener = new RecordingListener();
        EngineWebSocket socket = open("/graphql", listener);
        ServerWebSocket peer = serverSide.get(10, TimeUnit.SECONDS);
        CompletableFuture<Short> closedWith = new CompletableFuture<>();
        peer.closeHandler(closed -> closedWith.complete(peer.closeStatusCode()));

        socket.abort();

        assertThat(closedWith.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1006);
    }

    @Test
    void aClosedEngineOpensNothing() throws Exception {
        engine.close().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> open("/graphql", new RecordingListener())).cause().hasMessageContaining("closed");
    }
}

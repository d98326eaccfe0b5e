package dev.jgql.countries;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare {@code graphql-transport-ws} peer on the JDK WebSocket client: the tests drive the protocol
 * message by message, so nothing here hides what goes over the wire.
 */
final class TransportWsClient implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket webSocket;

  private TransportWsClient(URI uri) throws Exception {
    webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
        .subprotocols("graphql-transport-ws")
        .connectTimeout(TIMEOUT)
        .buildAsync(uri, new Listener())
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static TransportWsClient connect(URI uri) throws Exception {
    return new TransportWsClient(uri);
  }

  /** Connects and completes the {@code connection_init} / {@code connection_ack} handshake. */
  static TransportWsClient connectAndInit(URI uri) throws Exception {
    TransportWsClient client = connect(uri);
    client.send(new JsonObject().put("type", "connection_init"));
    JsonObject ack = client.receive();
    if (!"connection_ack".equals(ack.getString("type"))) {
      client.close();
      throw new AssertionError("expected connection_ack but got " + ack);
    }
    return client;
  }

  String subprotocol() {
    return webSocket.getSubprotocol();
  }

  void send(JsonObject message) throws Exception {
    webSocket.sendText(message.encode(), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  void subscribe(String id, String query) throws Exception {
    send(new JsonObject()
        .put("id", id)
        .put("type", "subscribe")
        .put("payload", new JsonObject().put("query", query)));
  }

  /** The next message from the server; fails after {@link #TIMEOUT}. */
  JsonObject receive() throws InterruptedException {
    JsonObject message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("no message from the server within " + TIMEOUT);
    }
    return message;
  }

  /** A message if one arrives within {@code wait}, otherwise null. */
  JsonObject poll(Duration wait) throws InterruptedException {
    return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The status code of the close frame the server sent; fails after {@link #TIMEOUT}. */
  int awaitCloseCode() throws Exception {
    return closeCode.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  void sendClose() throws Exception {
    webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    webSocket.abort();
  }

  private final class Listener implements WebSocket.Listener {

    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(new JsonObject(text.toString()));
        text.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closeCode.completeExceptionally(error);
    }
  }
}

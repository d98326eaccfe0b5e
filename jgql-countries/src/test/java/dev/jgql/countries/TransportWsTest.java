package dev.jgql.countries;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code graphql-transport-ws} endpoint, spoken message by message with the JDK WebSocket client. */
class TransportWsTest {

  private static CountriesServer server;

  @BeforeAll
  static void startServer() {
    server = CountriesServer.start(0);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void handshakeNegotiatesTheSubprotocol() throws Exception {
    try (TransportWsClient client = TransportWsClient.connect(server.webSocketUri())) {
      assertThat(client.subprotocol()).isEqualTo("graphql-transport-ws");
    }
  }

  @Test
  void countdownEmitsEveryValueThenCompletes() throws Exception {
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: 3) }");

      for (int expected = 3; expected >= 0; expected--) {
        assertThat(client.receive()).isEqualTo(next("1", new JsonObject().put("countdown", expected)));
      }
      assertThat(client.receive()).isEqualTo(new JsonObject().put("id", "1").put("type", "complete"));
    }
    awaitNoActiveCountdown();
  }

  @Test
  void completeFromTheClientStopsTheCountdown() throws Exception {
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: 1000, intervalMs: 20) }");
      assertThat(client.receive()).isEqualTo(next("1", new JsonObject().put("countdown", 1000)));
      assertThat(server.activeCountdowns()).isEqualTo(1);

      client.send(new JsonObject().put("id", "1").put("type", "complete"));
      awaitNoActiveCountdown();

      // The server answers pings in order, so once the pong is here every earlier message is too.
      client.send(new JsonObject().put("type", "ping"));
      JsonObject message;
      do {
        message = client.receive();
      } while (message.getString("type").equals("next"));
      assertThat(message).isEqualTo(new JsonObject().put("type", "pong"));
      assertThat(client.poll(Duration.ofMillis(100))).as("message after the countdown was stopped").isNull();
    }
  }

  @Test
  void closingTheSocketStopsItsCountdowns() throws Exception {
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      client.subscribe("a", "subscription { countdown(from: 1000, intervalMs: 20) }");
      client.subscribe("b", "subscription { countdown(from: 1000, intervalMs: 20) }");
      Await.until("both countdowns run", TransportWsClient.TIMEOUT, () -> server.activeCountdowns() == 2);

      client.sendClose();
      awaitNoActiveCountdown();
    }
  }

  @Test
  void queriesAndMutationsAnswerWithOneNextAndComplete() throws Exception {
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      client.subscribe("q", "{ country(code: \"FR\") { capital } }");
      assertThat(client.receive())
          .isEqualTo(next("q", new JsonObject().put("country", new JsonObject().put("capital", "Paris"))));
      assertThat(client.receive()).isEqualTo(new JsonObject().put("id", "q").put("type", "complete"));

      long before = server.counter();
      client.subscribe("m", "mutation { increment(by: 2, requestId: \"ws-1\") }");
      assertThat(client.receive().getJsonObject("payload").getJsonObject("data").getLong("increment"))
          .isEqualTo(before + 2);
      assertThat(client.receive()).isEqualTo(new JsonObject().put("id", "m").put("type", "complete"));
      assertThat(server.timesApplied("ws-1")).isEqualTo(1);
    }
  }

  @Test
  void pingIsAnsweredWithPongCarryingThePayload() throws Exception {
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      JsonObject payload = new JsonObject().put("seq", 7);
      client.send(new JsonObject().put("type", "ping").put("payload", payload));

      assertThat(client.receive()).isEqualTo(new JsonObject().put("type", "pong").put("payload", payload));
    }
  }

  @Test
  void invalidCountdownArgumentsAreReportedAsAGraphQLError() throws Exception {
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: -1) }");

      // Vert.x sends execution errors as a `next` with errors, then `complete`, not as an `error` message.
      JsonObject next = client.receive();
      assertThat(next.getString("type")).isEqualTo("next");
      assertThat(next.getJsonObject("payload").getJsonArray("errors").getJsonObject(0).getString("message"))
          .contains("from must be >= 0");
      assertThat(client.receive()).isEqualTo(new JsonObject().put("id", "1").put("type", "complete"));
    }
  }

  @Test
  void subscribingBeforeConnectionInitClosesWith4401() throws Exception {
    try (TransportWsClient client = TransportWsClient.connect(server.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: 1) }");

      assertThat(client.awaitCloseCode()).isEqualTo(4401);
    }
  }

  @Test
  void closingTheServerClosesOpenSockets() throws Exception {
    CountriesServer own = CountriesServer.start(0);
    try (TransportWsClient client = TransportWsClient.connectAndInit(own.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: 1000, intervalMs: 20) }");
      client.receive();

      own.close();

      assertThat(client.awaitCloseCode()).isEqualTo(1000);
    } finally {
      own.close();
    }
  }

  private static JsonObject next(String id, JsonObject data) {
    return new JsonObject().put("id", id).put("type", "next").put("payload", new JsonObject().put("data", data));
  }

  private static void awaitNoActiveCountdown() throws InterruptedException {
    Await.until("no countdown runs", TransportWsClient.TIMEOUT, () -> server.activeCountdowns() == 0);
  }
}

package dev.jgql.countries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountriesServerLifecycleTest {

  private static final Duration THREAD_EXIT_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void urisPointAtTheLoopbackPort() {
    try (CountriesServer server = CountriesServer.start(0)) {
      assertThat(server.port()).isPositive();
      assertThat(server.httpUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/graphql"));
      assertThat(server.webSocketUri()).isEqualTo(URI.create("ws://127.0.0.1:" + server.port() + "/graphql"));
    }
  }

  @Test
  void restartsOnTheSamePortAfterClose() throws Exception {
    CountriesServer first = CountriesServer.start(0);
    int port = first.port();
    // Close while a WebSocket and an HTTP connection are open, as a crashing backend would.
    try (TransportWsClient client = TransportWsClient.connectAndInit(first.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: 1000, intervalMs: 20) }");
      assertThat(countryName(first, "FR")).isEqualTo("France");

      first.close();

      assertThat(client.awaitCloseCode()).isEqualTo(1000);
    } finally {
      first.close();
    }

    try (CountriesServer second = CountriesServer.start(port)) {
      assertThat(second.port()).isEqualTo(port);
      assertThat(countryName(second, "JP")).isEqualTo("Japan");
    }
  }

  @Test
  void startFailsCleanlyWhenThePortIsTaken() throws Exception {
    try (CountriesServer server = CountriesServer.start(0)) {
      assertThatThrownBy(() -> CountriesServer.start(server.port()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("listen on 127.0.0.1:" + server.port());
      // The failed start must not have disturbed the running server.
      assertThat(countryName(server, "FR")).isEqualTo("France");
    }
    awaitNoVertxThreads();
  }

  @Test
  void rejectsPortsOutOfRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> CountriesServer.start(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> CountriesServer.start(65536));
  }

  @Test
  void closeLeavesNoVertxThreadBehindAndCanBeRepeated() throws Exception {
    CountriesServer server = CountriesServer.start(0);
    try (TransportWsClient client = TransportWsClient.connectAndInit(server.webSocketUri())) {
      client.subscribe("1", "subscription { countdown(from: 1000, intervalMs: 20) }");
      client.receive();
      assertThat(vertxThreads()).isNotEmpty();

      server.close();
    }
    server.close();

    awaitNoVertxThreads();
  }

  private static String countryName(CountriesServer server, String code) throws Exception {
    JsonObject response = GraphQLHttp.post(server.httpUri(),
        "query($code: ID!) { country(code: $code) { name } }", new JsonObject().put("code", code));
    return response.getJsonObject("data").getJsonObject("country").getString("name");
  }

  private static void awaitNoVertxThreads() throws InterruptedException {
    try {
      Await.until("no Vert.x thread is alive", THREAD_EXIT_TIMEOUT, () -> vertxThreads().isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + vertxThreads(), e);
    }
  }

  /** Vert.x names its event-loop, acceptor and pool threads "vert.x-..." and its checker "vertx-...". */
  private static List<String> vertxThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("vert.x-") || name.startsWith("vertx-"))
        .toList();
  }
}

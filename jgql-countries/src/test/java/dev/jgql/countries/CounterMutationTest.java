package dev.jgql.countries;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CounterMutationTest {

  private static final String INCREMENT =
      "mutation Increment($by: Int, $requestId: String) { increment(by: $by, requestId: $requestId) }";

  private CountriesServer server;

  @BeforeEach
  void startServer() {
    server = CountriesServer.start(0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void incrementReturnsTheNewValueAndTheJavaApiSeesIt() throws Exception {
    assertThat(server.counter()).isZero();

    assertThat(increment(new JsonObject())).isEqualTo(1);
    assertThat(increment(new JsonObject().put("by", 5))).isEqualTo(6);
    assertThat(increment(new JsonObject().put("by", -2))).isEqualTo(4);

    assertThat(server.counter()).isEqualTo(4);
    JsonObject counter = GraphQLHttp.post(server.httpUri(), "{ counter }", new JsonObject());
    assertThat(counter.getJsonObject("data").getInteger("counter")).isEqualTo(4);
  }

  @Test
  void everyApplicationOfARequestIdIsCounted() throws Exception {
    increment(new JsonObject().put("requestId", "a"));
    increment(new JsonObject().put("requestId", "b"));
    increment(new JsonObject().put("requestId", "a"));
    increment(new JsonObject());

    assertThat(server.counter()).isEqualTo(4);
    assertThat(server.timesApplied("a")).isEqualTo(2);
    assertThat(server.timesApplied("b")).isEqualTo(1);
    assertThat(server.timesApplied("never-sent")).isZero();
    assertThat(server.appliedRequestIds()).isEqualTo(Map.of("a", 2, "b", 1));
  }

  @Test
  void appliedRequestIdsIsASnapshot() throws Exception {
    increment(new JsonObject().put("requestId", "a"));
    Map<String, Integer> before = server.appliedRequestIds();

    increment(new JsonObject().put("requestId", "a"));

    assertThat(before).isEqualTo(Map.of("a", 1));
    assertThat(server.appliedRequestIds()).isEqualTo(Map.of("a", 2));
  }

  @Test
  void eachServerStartsItsOwnCounterAtZero() throws Exception {
    increment(new JsonObject().put("requestId", "a"));

    try (CountriesServer other = CountriesServer.start(0)) {
      assertThat(other.counter()).isZero();
      assertThat(other.appliedRequestIds()).isEmpty();
    }
    assertThat(server.counter()).isEqualTo(1);
  }

  private int increment(JsonObject variables) throws Exception {
    JsonObject response = GraphQLHttp.post(server.httpUri(), INCREMENT, variables);
    assertThat(response.containsKey("errors")).as("errors in %s", response).isFalse();
    return response.getJsonObject("data").getInteger("increment");
  }
}

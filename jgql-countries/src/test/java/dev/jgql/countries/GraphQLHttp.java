package dev.jgql.countries;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** GraphQL over HTTP with the JDK client, as the tests need it: JSON in, JSON out, bounded waits. */
final class GraphQLHttp {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  // HTTP/1.1 so the JDK client does not try an h2c upgrade the server has no use for.
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();

  private GraphQLHttp() {}

  /** POSTs {@code {"query": ..., "variables": ...}} and returns the whole GraphQL response. */
  static JsonObject post(URI uri, String query, JsonObject variables) throws IOException, InterruptedException {
    return send(postRequest(uri, query, variables));
  }

  static CompletableFuture<JsonObject> postAsync(URI uri, String query) {
    return CLIENT.sendAsync(postRequest(uri, query, new JsonObject()), HttpResponse.BodyHandlers.ofString())
        .thenApply(GraphQLHttp::body);
  }

  /** Sends the query (and variables) as URL parameters of a GET. */
  static JsonObject get(URI uri, String query, JsonObject variables) throws IOException, InterruptedException {
    URI withParameters = URI.create(uri + "?query=" + encode(query) + "&variables=" + encode(variables.encode()));
    return send(HttpRequest.newBuilder(withParameters).timeout(TIMEOUT).GET().build());
  }

  private static HttpRequest postRequest(URI uri, String query, JsonObject variables) {
    String body = new JsonObject().put("query", query).put("variables", variables).encode();
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static JsonObject send(HttpRequest request) throws IOException, InterruptedException {
    return body(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  private static JsonObject body(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

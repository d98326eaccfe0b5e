package dev.jgql.countries;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.ExperimentalApi;
import graphql.GraphQL;
import graphql.incremental.DelayedIncrementalPartialResult;
import graphql.incremental.IncrementalExecutionResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The streaming answers of the countries backend, for requests that ask for them by {@code Accept}
 * (everything else goes on to Vert.x's GraphQL handler):
 *
 * <ul>
 *   <li>{@code text/event-stream}: the graphql-sse protocol, distinct connections mode, for every
 *       operation type: {@code event: next} per result, {@code event: complete} at the end, a
 *       {@code :} comment when the stream opens and then every {@link #keepAliveMs} ms;</li>
 *   <li>{@code multipart/mixed} with an operation using {@code @defer}: incremental delivery in the
 *       {@code deferSpec=20220824} format that graphql-java produces, boundary {@code -};</li>
 *   <li>{@code multipart/mixed;subscriptionSpec=1.0} with a subscription: Apollo's multipart HTTP
 *       subscriptions, boundary {@code graphql}, {@code {"payload": result}} parts and {@code {}}
 *       heartbeats.</li>
 * </ul>
 *
 * <p>Every execution has graphql-java's experimental incremental support switched on, so
 * {@code @defer} is honoured on these paths.
 */
final class StreamingHandler implements Handler<RoutingContext> {

  private static final String EVENT_STREAM = "text/event-stream";
  private static final String JSON_PART = "Content-Type: application/json; charset=utf-8\r\n\r\n";

  private final Vertx vertx;
  private final GraphQL graphQL;
  private final long keepAliveMs;
  private final Set<Subscription> open = ConcurrentHashMap.newKeySet();

  StreamingHandler(Vertx vertx, GraphQL graphQL, long keepAliveMs) {
    this.vertx = vertx;
    this.graphQL = graphQL;
    this.keepAliveMs = keepAliveMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    String lower = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    boolean sse = lower.contains(EVENT_STREAM);
    boolean multipart = lower.contains("multipart/mixed");
    if (!sse && !multipart) {
      ctx.next();
      return;
    }
    JsonObject request;
    try {
      request = readRequest(ctx);
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      badRequest(ctx, "The request is not a GraphQL request: " + e.getMessage());
      return;
    }
    String query = request.getString("query");
    if (query == null) {
      badRequest(ctx, "The request has no query");
      return;
    }
    boolean deferred = query.contains("@defer") || query.contains("@stream");
    boolean subscription = query.stripLeading().startsWith("subscription");
    if (!sse && !(deferred || subscription && lower.contains("subscriptionspec"))) {
      ctx.next(); // a plain answer is what a multipart-accepting client gets for a single result
      return;
    }
    JsonObject variables = request.getJsonObject("variables");
    ExecutionInput input = ExecutionInput.newExecutionInput()
        .query(query)
        .operationName(request.getString("operationName"))
        .variables(variables == null ? Map.of() : variables.getMap())
        .graphQLContext(Map.of(ExperimentalApi.ENABLE_INCREMENTAL_SUPPORT, true))
        .build();
    Writer writer = sse ? new SseWriter(ctx.response()) : subscription ? new SubscriptionWriter(ctx.response())
        : new DeferWriter(ctx.response());
    graphQL.executeAsync(input).whenComplete((result, failure) -> {
      if (failure != null) {
        writer.start();
        writer.result(Map.of("errors", List.of(Map.of("message", "Execution failed: " + failure))));
        writer.end();
      } else {
        stream(ctx, writer, result);
      }
    });
  }

  private static JsonObject readRequest(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.GET) {
      JsonObject request = new JsonObject();
      request.put("query", ctx.request().getParam("query"));
      request.put("operationName", ctx.request().getParam("operationName"));
      String variables = ctx.request().getParam("variables");
      if (variables != null) {
        request.put("variables", new JsonObject(variables));
      }
      return request;
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new IllegalArgumentException("empty body");
    }
    return body.toJsonObject();
  }

  private static void badRequest(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
        .end(Json.encode(Map.of("errors", List.of(Map.of("message", message)))));
  }

  private void stream(RoutingContext ctx, Writer writer, ExecutionResult result) {
    writer.start();
    Object data = result.getData();
    if (result.getErrors().isEmpty() && data instanceof Publisher<?> events) {
      @SuppressWarnings("unchecked")
      Publisher<ExecutionResult> results = (Publisher<ExecutionResult>) events;
      follow(ctx, writer, results, ExecutionResult::toSpecification);
    } else if (result instanceof IncrementalExecutionResult incremental) {
      writer.result(incremental.toSpecification());
      follow(ctx, writer, incremental.getIncrementalItemPublisher(), DelayedIncrementalPartialResult::toSpecification);
    } else {
      writer.result(result.toSpecification());
      writer.end();
    }
  }

  /** Writes each item of a stream as it comes, one at a time, and stops it when the client goes away. */
  private <T> void follow(RoutingContext ctx, Writer writer, Publisher<T> items,
      Function<T, Map<String, Object>> toJson) {
    items.subscribe(new Subscriber<T>() {
      private volatile Subscription subscription;

      @Override
      public void onSubscribe(Subscription s) {
        subscription = s;
        open.add(s);
        ctx.response().closeHandler(v -> cancel());
        s.request(1);
      }

      @Override
      public void onNext(T item) {
        writer.result(toJson.apply(item));
        HttpServerResponse response = ctx.response();
        if (response.writeQueueFull()) {
          response.drainHandler(v -> subscription.request(1));
        } else {
          subscription.request(1);
        }
      }

      @Override
      public void onError(Throwable failure) {
        open.remove(subscription);
        writer.result(Map.of("errors", List.of(Map.of("message", String.valueOf(failure.getMessage())))));
        writer.end();
      }

      @Override
      public void onComplete() {
        open.remove(subscription);
        writer.end();
      }

      private void cancel() {
        Subscription s = subscription;
        if (s != null && open.remove(s)) {
          s.cancel();
        }
        writer.stop();
      }
    });
  }

  /** One response format. */
  private abstract static class Writer {
    final HttpServerResponse response;

    Writer(HttpServerResponse response) {
      this.response = response;
    }

    abstract void start();

    abstract void result(Map<String, Object> json);

    abstract void end();

    void stop() {
    }

    void write(String text) {
      if (!response.ended() && !response.closed()) {
        response.write(text);
      }
    }

    void finish(String text) {
      stop();
      if (!response.ended() && !response.closed()) {
        response.end(text);
      }
    }
  }

  private final class SseWriter extends Writer {
    private long keepAlive = -1;

    SseWriter(HttpServerResponse response) {
      super(response);
    }

    @Override
    void start() {
      response.setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache");
      write(":\n\n"); // as graphql-sse: flushes the headers at once
      keepAlive = vertx.setPeriodic(keepAliveMs, id -> write(":\n\n"));
    }

    @Override
    void result(Map<String, Object> json) {
      write("event: next\ndata: " + Json.encode(json) + "\n\n");
    }

    @Override
    void end() {
      finish("event: complete\ndata:\n\n");
    }

    @Override
    void stop() {
      if (keepAlive >= 0) {
        vertx.cancelTimer(keepAlive);
      }
    }
  }

  private static final class DeferWriter extends Writer {
    DeferWriter(HttpServerResponse response) {
      super(response);
    }

    @Override
    void start() {
      response.setChunked(true)
          .putHeader("Content-Type", "multipart/mixed; boundary=\"-\"; deferSpec=20220824");
      write("\r\n---");
    }

    @Override
    void result(Map<String, Object> json) {
      // Each part is followed by its delimiter at once, so the client can use it without waiting.
      boolean last = Boolean.FALSE.equals(json.get("hasNext"));
      write("\r\n" + JSON_PART + Json.encode(json) + "\r\n---" + (last ? "--\r\n" : ""));
    }

    @Override
    void end() {
      finish("");
    }
  }

  private final class SubscriptionWriter extends Writer {
    private long heartbeat = -1;

    SubscriptionWriter(HttpServerResponse response) {
      super(response);
    }

    @Override
    void start() {
      response.setChunked(true)
          .putHeader("Content-Type", "multipart/mixed; boundary=\"graphql\"; subscriptionSpec=1.0");
      write("\r\n--graphql");
      heartbeat = vertx.setPeriodic(keepAliveMs, id -> write("\r\n" + JSON_PART + "{}\r\n--graphql"));
    }

    @Override
    void result(Map<String, Object> json) {
      write("\r\n" + JSON_PART + Json.encode(Map.of("payload", json)) + "\r\n--graphql");
    }

    @Override
    void end() {
      finish("--\r\n");
    }

    @Override
    void stop() {
      if (heartbeat >= 0) {
        vertx.cancelTimer(heartbeat);
      }
    }
  }
}

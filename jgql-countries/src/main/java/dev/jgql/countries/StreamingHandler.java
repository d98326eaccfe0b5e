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
import java.util.UUID;
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
 *       heartbeats;</li>
 *   <li>graphql-sse's single-connection mode: {@code PUT} reserves a stream (201 with a token),
 *       {@code GET} with the token ({@code X-GraphQL-Event-Stream-Token} or {@code ?token=}) opens
 *       it, {@code POST} with {@code extensions.operationId} starts an operation (202; results go
 *       to the stream as {@code {"id", "payload"}}), {@code DELETE ?operationId=} stops it; closing
 *       the stream disposes the reservation.</li>
 * </ul>
 *
 * <p>Every execution has graphql-java's experimental incremental support switched on, so
 * {@code @defer} is honoured on these paths.
 */
final class StreamingHandler implements Handler<RoutingContext> {

  private static final String EVENT_STREAM = "text/event-stream";
  private static final String TOKEN_HEADER = "X-GraphQL-Event-Stream-Token";
  private static final String JSON_PART = "Content-Type: application/json; charset=utf-8\r\n\r\n";

  private final Vertx vertx;
  private final GraphQL graphQL;
  private final long keepAliveMs;
  private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
  private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();

  StreamingHandler(Vertx vertx, GraphQL graphQL, long keepAliveMs) {
    this.vertx = vertx;
    this.graphQL = graphQL;
    this.keepAliveMs = keepAliveMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.PUT) {
      reserve(ctx);
      return;
    }
    String token = ctx.request().getHeader(TOKEN_HEADER);
    if (token == null) {
      token = ctx.request().getParam("token");
    }
    if (token != null) {
      single(ctx, token);
      return;
    }
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
    Writer writer = sse ? new SseWriter(ctx.response()) : subscription ? new SubscriptionWriter(ctx.response())
        : new DeferWriter(ctx.response());
    execute(ctx, request, writer);
  }

  private void execute(RoutingContext ctx, JsonObject request, Writer writer) {
    JsonObject variables = request.getJsonObject("variables");
    ExecutionInput input = ExecutionInput.newExecutionInput()
        .query(request.getString("query"))
        .operationName(request.getString("operationName"))
        .variables(variables == null ? Map.of() : variables.getMap())
        .graphQLContext(Map.of(ExperimentalApi.ENABLE_INCREMENTAL_SUPPORT, true))
        .build();
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
        writer.onCancel(this::cancel);
        s.request(1);
      }

      @Override
      public void onNext(T item) {
        writer.result(toJson.apply(item));
        HttpServerResponse response = writer.response;
        if (response != null && response.writeQueueFull()) {
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

  // ------------------------------------------------------------------ graphql-sse single-connection mode

  private void reserve(RoutingContext ctx) {
    String token = UUID.randomUUID().toString();
    reservations.put(token, new Reservation(token));
    ctx.response().setStatusCode(201).putHeader("Content-Type", "text/plain; charset=utf-8").end(token);
  }

  private void single(RoutingContext ctx, String token) {
    Reservation reservation = reservations.get(token);
    if (reservation == null) {
      status(ctx, 404, "Stream not found");
      return;
    }
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.GET) {
      reservation.attach(ctx);
    } else if (method == HttpMethod.DELETE) {
      String id = ctx.request().getParam("operationId");
      if (id == null) {
        status(ctx, 400, "Operation ID is missing");
      } else {
        reservation.stop(id);
        ctx.response().setStatusCode(200).end();
      }
    } else if (method == HttpMethod.POST) {
      JsonObject request;
      try {
        request = readRequest(ctx);
      } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
        badRequest(ctx, "The request is not a GraphQL request: " + e.getMessage());
        return;
      }
      JsonObject extensions = request.getJsonObject("extensions");
      String id = extensions == null ? null : extensions.getString("operationId");
      if (id == null) {
        status(ctx, 400, "Operation ID is missing");
      } else if (!reservation.begin(id)) {
        status(ctx, 409, "Operation with ID already exists");
      } else {
        ctx.response().setStatusCode(202).end();
        execute(ctx, request, new ReservationWriter(reservation, id));
      }
    } else {
      status(ctx, 405, "Method not allowed");
    }
  }

  private static void status(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Json.encode(Map.of("errors", List.of(Map.of("message", message)))));
  }

  /** One reservation: its stream (once attached), what waits for it, the operations running on it. */
  private final class Reservation {
    private final String token;
    private final Map<String, Runnable> operations = new ConcurrentHashMap<>();
    private final List<String> waiting = new java.util.ArrayList<>();
    private HttpServerResponse stream;
    private long keepAlive = -1;

    Reservation(String token) {
      this.token = token;
    }

    synchronized void attach(RoutingContext ctx) {
      if (stream != null) {
        status(ctx, 409, "Stream already open");
        return;
      }
      stream = ctx.response();
      stream.setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache");
      stream.write(":\n\n");
      waiting.forEach(stream::write);
      waiting.clear();
      keepAlive = vertx.setPeriodic(keepAliveMs, id -> send(":\n\n"));
      stream.closeHandler(v -> dispose());
    }

    synchronized void send(String frame) {
      if (stream == null) {
        waiting.add(frame); // results of operations started before the stream attached
      } else if (!stream.ended() && !stream.closed()) {
        stream.write(frame);
      }
    }

    boolean begin(String id) {
      return operations.putIfAbsent(id, () -> { }) == null;
    }

    void cancelledBy(String id, Runnable cancel) {
      operations.replace(id, cancel);
    }

    void stop(String id) {
      Runnable cancel = operations.remove(id);
      if (cancel != null) {
        cancel.run();
        send("event: complete\ndata: " + Json.encode(Map.of("id", id)) + "\n\n");
      }
    }

    boolean finished(String id) {
      return operations.remove(id) != null;
    }

    /** Closing the stream disposes the reservation and stops its operations. */
    void dispose() {
      reservations.remove(token);
      synchronized (this) {
        if (keepAlive >= 0) {
          vertx.cancelTimer(keepAlive);
        }
      }
      operations.values().forEach(Runnable::run);
      operations.clear();
    }
  }

  /** Writes an operation's results into its reservation's stream, wrapped with the operation id. */
  private static final class ReservationWriter extends Writer {
    private final Reservation reservation;
    private final String id;

    ReservationWriter(Reservation reservation, String id) {
      super(null);
      this.reservation = reservation;
      this.id = id;
    }

    @Override
    void start() {
    }

    @Override
    void result(Map<String, Object> json) {
      reservation.send("event: next\ndata: " + Json.encode(Map.of("id", id, "payload", json)) + "\n\n");
    }

    @Override
    void end() {
      if (reservation.finished(id)) {
        reservation.send("event: complete\ndata: " + Json.encode(Map.of("id", id)) + "\n\n");
      }
    }

    @Override
    void onCancel(Runnable cancel) {
      reservation.cancelledBy(id, cancel);
    }
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

    /** What stops the operation when the client goes away. */
    void onCancel(Runnable cancel) {
      response.closeHandler(v -> cancel.run());
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

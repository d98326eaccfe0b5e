package dev.jgql.countries;

import graphql.GraphQL;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.graphql.GraphQLHandler;
import io.vertx.ext.web.handler.graphql.GraphQLHandlerOptions;
import io.vertx.ext.web.handler.graphql.ws.GraphQLWSHandler;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded, offline GraphQL server with the core of the public countries API, for jgql's examples
 * and tests.
 *
 * <p>It serves real data for about 250 countries, the 7 continents and their languages, plus a counter
 * mutation, a {@code countdown} subscription and a {@code slow} query for fault tests. GraphQL over HTTP
 * (POST and GET), over WebSocket with the {@code graphql-transport-ws} protocol, over server-sent events
 * (graphql-sse, distinct connections: {@code Accept: text/event-stream}), {@code @defer} over
 * {@code multipart/mixed} and Apollo's multipart subscriptions ({@code multipart/mixed;subscriptionSpec=1.0})
 * share the path {@code /graphql} on one port of {@code 127.0.0.1}. Over HTTP it also takes batches (a JSON array
 * of requests) and automatic persisted queries (Apollo's {@code extensions.persistedQuery} with a SHA-256 hash). The schema is the class-path resource
 * {@code dev/jgql/countries/schema.graphqls}.
 *
 * <p>Each server owns its Vert.x instance; {@link #close()} stops it and its threads. A closed server's
 * port can be reused at once by a new server, so tests can simulate a backend restart.
 *
 * <pre>{@code
 * try (CountriesServer server = CountriesServer.start(0)) {
 *   URI http = server.httpUri();       // http://127.0.0.1:PORT/graphql
 *   URI ws = server.webSocketUri();    // ws://127.0.0.1:PORT/graphql
 *   // ... run the client against it, e.g. mutation { increment(requestId: "r1") } ...
 *   assertThat(server.counter()).isEqualTo(1);
 *   assertThat(server.timesApplied("r1")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Methods that block ({@link #start(int)} and {@link #close()}) must not be called on a Vert.x
 * event-loop thread.
 */
public final class CountriesServer implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/graphql";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_BODY_BYTES = 1024 * 1024;
  /** How often an idle event stream gets a keep-alive comment (and a multipart subscription a heartbeat), as graphql-sse. */
  private static final long KEEP_ALIVE_MS = 12_000;

  private static final CountriesData DATA = CountriesData.load();

  private final Vertx vertx;
  private final int port;
  private final MutationLedger ledger;
  private final AtomicInteger activeCountdowns;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CountriesServer(Vertx vertx, int port, MutationLedger ledger, AtomicInteger activeCountdowns) {
    this.vertx = vertx;
    this.port = port;
    this.ledger = ledger;
    this.activeCountdowns = activeCountdowns;
  }

  /**
   * Starts a server on {@code 127.0.0.1} and waits until it accepts connections.
   *
   * @param port the TCP port, or 0 for a free port chosen by the operating system
   * @return the listening server, with its counter at 0
   * @throws IllegalArgumentException if {@code port} is outside 0..65535
   * @throws IllegalStateException if the server cannot listen (for example the port is taken) within
   *     10 seconds; nothing is left running in that case
   */
  public static CountriesServer start(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
    }
    // One event loop and minimal pools: nothing here blocks, a test JVM may run several servers, and a
    // single event loop keeps every data fetcher on one thread. File caching is off because the server
    // serves no files and should leave nothing on disk.
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1)
        .setFileSystemOptions(new FileSystemOptions()
            .setFileCachingEnabled(false)
            .setClassPathResolvingEnabled(false)));
    try {
      MutationLedger ledger = new MutationLedger();
      AtomicInteger activeCountdowns = new AtomicInteger();
      GraphQL graphQL = CountriesSchema.create(vertx, DATA, ledger, activeCountdowns);

      Router router = Router.router(vertx);
      // Two routes on one path because Vert.x Web refuses a body handler after the WebSocket handler (a
      // user handler) and a protocol-upgrade handler after a body handler. The WebSocket handler passes
      // requests that are not upgrades on to the next route.
      router.route(PATH).handler(GraphQLWSHandler.create(graphQL));
      // File uploads (GraphQL multipart requests), streamed and digested, never written to disk; a route of their
      // own because the body must not go through the body handler. Other requests pass on.
      router.route(PATH).handler(new UploadHandler(graphQL));
      router.route(PATH)
          .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
          // Server-sent events, @defer over multipart/mixed and multipart subscriptions, chosen by Accept.
          .handler(new StreamingHandler(vertx, graphQL, KEEP_ALIVE_MS))
          // Batches (a JSON array of requests, answered by an array in the same order) are allowed.
          .handler(GraphQLHandler.create(graphQL, new GraphQLHandlerOptions().setRequestBatchingEnabled(true)));
      // A client that goes away in the middle of a request (a timeout, a reset, a chaos test cutting the link)
      // is normal life for a server: there is nobody left to answer, so the exchange is dropped. Vert.x would
      // otherwise log each one as an "Unhandled exception in router" error with a stack trace. Any other
      // failure goes on to Vert.x's default handling.
      router.route().failureHandler(ctx -> {
        if (clientWentAway(ctx.failure())) {
          ctx.request().connection().close();
        } else {
          ctx.next();
        }
      });

      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
              .setHost(HOST)
              // Lets a restarted backend bind the port again while old connections sit in TIME_WAIT.
              .setReuseAddress(true)
              // Without it the WebSocket handshake answers with no subprotocol and clients give up.
              .addWebSocketSubProtocol("graphql-transport-ws"))
          .requestHandler(router);
      int actualPort = await(server.listen(port), START_TIMEOUT, "listen on " + HOST + ":" + port).actualPort();
      return new CountriesServer(vertx, actualPort, ledger, activeCountdowns);
    } catch (RuntimeException | Error e) {
      closeVertx(vertx, e);
      throw e;
    }
  }

  private static boolean clientWentAway(Throwable failure) {
    return failure instanceof IOException || failure instanceof HttpClosedException;
  }

  /** {@return the TCP port the server listens on, the chosen one when it was started with port 0} */
  public int port() {
    return port;
  }

  /** {@return the GraphQL-over-HTTP endpoint, {@code http://127.0.0.1:PORT/graphql}} */
  public URI httpUri() {
    return URI.create("http://" + HOST + ":" + port + PATH);
  }

  /** {@return the {@code graphql-transport-ws} endpoint, {@code ws://127.0.0.1:PORT/graphql}} */
  public URI webSocketUri() {
    return URI.create("ws://" + HOST + ":" + port + PATH);
  }

  /** {@return the counter changed by {@code mutation { increment }}, also served as {@code query { counter }}} */
  public long counter() {
    return ledger.counter();
  }

  /**
   * How many times each {@code requestId} passed to {@code increment} has been applied. A value above 1
   * means a client sent the same mutation more than once: the server applies every call.
   *
   * @return an immutable snapshot, from request id to count
   */
  public Map<String, Integer> appliedRequestIds() {
    return ledger.appliedRequestIds();
  }

  /**
   * {@return how many times {@code increment} has been applied with this request id; 0 if never}
   *
   * @param requestId the {@code requestId} argument a client passed to {@code increment}
   */
  public int timesApplied(String requestId) {
    return ledger.timesApplied(requestId);
  }

  /**
   * {@return the number of {@code countdown} subscriptions still running} Tests use it to check that a
   * client's cancellation, or a dropped connection, stopped the server-side stream and its timer.
   */
  public int activeCountdowns() {
    return activeCountdowns.get();
  }

  /**
   * Stops the server, drops its connections and waits (at most 10 seconds) until its Vert.x instance is
   * closed. Calling it again does nothing.
   *
   * @throws IllegalStateException if Vert.x did not close in time or the calling thread was interrupted
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      await(vertx.close(), CLOSE_TIMEOUT, "close Vert.x");
    }
  }

  @Override
  public String toString() {
    return "CountriesServer[" + httpUri() + "]";
  }

  private static void closeVertx(Vertx vertx, Throwable failure) {
    try {
      await(vertx.close(), CLOSE_TIMEOUT, "close Vert.x");
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static <T> T await(Future<T> future, Duration timeout, String action) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("jgql countries backend interrupted while trying to " + action, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("jgql countries backend could not " + action, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("jgql countries backend could not " + action + " within " + timeout, e);
    }
  }
}

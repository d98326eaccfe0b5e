package dev.jgql.vertx;

import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is particular to the Vert.x engine: its threads, whose Vert.x it runs on, its pool, its timers. */
@Timeout(60)
class VertxEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Vertx serverVertx;
    private HttpServer server;
    private final List<HttpServerRequest> held = new ArrayList<>();
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger connectionsClosed = new AtomicInteger();
    /** Answers held back until this many requests are in at once. */
    private volatile int holdUntil = 1;
    private final List<HttpEngine> engines = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        serverVertx = Vertx.vertx();
        server = serverVertx.createHttpServer()
                .connectionHandler(connection -> {
                    connections.add(connection);
                    connectionsOpened.incrementAndGet();
                    connection.closeHandler(closed -> connectionsClosed.incrementAndGet());
                })
                .requestHandler(request -> {
                    switch (request.path()) {
                        case "/silent" -> { } // never answers
                        case "/large" -> request.response().end("x".repeat(2 * 1024 * 1024));
                        default -> hold(request);
                    }
                });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private synchronized void hold(HttpServerRequest request) {
        held.add(request);
        if (held.size() >= holdUntil) {
            for (HttpServerRequest waiting : held) {
                waiting.response().end("{\"data\":{}}");
            }
            held.clear();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (HttpEngine engine : engines) {
            engine.close().get(10, TimeUnit.SECONDS);
        }
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private HttpEngine engine(VertxEngine factory) {
        HttpEngine engine = factory.newHttpEngine(EngineSettings.builder().name("http").build());
        engines.add(engine);
        return engine;
    }

    private static HttpEngineRequest get(URI uri) {
        return HttpEngineRequest.get(uri).build();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not true within " + WAIT + ": " + what);
            }
            System.gc();
            Thread.onSpinWait();
        }
    }

    @Test
    void itsOwnVertxRunsOnNamedThreadsAndClosesWithTheLastEngine() throws Exception {
        VertxEngine factory = VertxEngine.create();
        HttpEngine first = engine(factory);
        HttpEngine second = engine(factory);
        HttpEngineResponse response = first.execute(get(uri("/"))).get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        second.execute(get(uri("/"))).get(10, TimeUnit.SECONDS);
        assertThat(threadNames()).anyMatch(name -> name.matches("jgql-vertx-\\d+-eventloop-thread-\\d+"));

        first.close().get(10, TimeUnit.SECONDS);
        assertThat(second.execute(get(uri("/"))).get(10, TimeUnit.SECONDS).statusCode())
                .as("the other engine still has its Vert.x").isEqualTo(200);
        second.close().get(10, TimeUnit.SECONDS);

        eventually(() -> threadNames().stream().noneMatch(name -> name.startsWith("jgql-vertx")), "no jgql-vertx thread");
        assertThatThrownBy(() -> first.execute(get(uri("/"))).get(10, TimeUnit.SECONDS))
                .cause().hasMessageContaining("closed");
    }

    @Test
    void theApplicationsVertxIsUsedAndNeverClosed() throws Exception {
        Vertx application = Vertx.vertx();
        try {
            HttpEngine engine = engine(VertxEngine.using(application));
            CompletableFuture<String> thread = new CompletableFuture<>();
            engine.execute(get(uri("/"))).whenComplete((response, failure) -> thread.complete(Thread.currentThread().getName()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(thread.get()).startsWith("vert.x-eventloop-thread-");
            engine.close().get(10, TimeUnit.SECONDS);

            // Still open: it can still serve a timer.
            CompletableFuture<Void> fired = new CompletableFuture<>();
            application.setTimer(1, id -> fired.complete(null));
            fired.get(10, TimeUnit.SECONDS);
        } finally {
            application.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void http11ConnectionsPerHostAreCappedAndTheRestWait() throws Exception {
        int cap = VertxHttpEngine.HTTP1_POOL_SIZE;
        holdUntil = cap; // nothing is answered until the server has as many requests in flight as the cap
        HttpEngine engine = engine(VertxEngine.create());
        List<CompletableFuture<HttpEngineResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 3 * cap; i++) {
            calls.add(engine.execute(get(uri("/"))));
        }
        for (CompletableFuture<HttpEngineResponse> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(connectionsOpened).hasValue(cap);
    }

    @Test
    void discardedConnectionsAreNotReusedAndCloseOnceIdle() throws Exception {
        HttpEngine engine = engine(VertxEngine.create());
        engine.execute(get(uri("/"))).get(10, TimeUnit.SECONDS);
        engine.execute(get(uri("/"))).get(10, TimeUnit.SECONDS);
        assertThat(connectionsOpened).as("kept alive and reused").hasValue(1);

        engine.discardPooledConnections();
        engine.execute(get(uri("/"))).get(10, TimeUnit.SECONDS);

        assertThat(connectionsOpened).hasValue(2);
        eventually(() -> connectionsClosed.get() == 1, "the discarded connection closed");
    }

    @Test
    void theRequestTimeoutIsTheJdksHttpTimeoutException() {
        HttpEngine engine = engine(VertxEngine.create());
        CompletableFuture<HttpEngineResponse> call = engine.execute(HttpEngineRequest.get(uri("/silent"))
                .timeout(Duration.ofMillis(200)).build());

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isExactlyInstanceOf(HttpTimeoutException.class).hasMessageContaining("200 ms");
        eventually(() -> connectionsClosed.get() == 1, "the timed-out request's connection closed");
    }

    @Test
    void cancellingAnExchangeClosesItsConnection() throws Exception {
        HttpEngine engine = engine(VertxEngine.create());
        CompletableFuture<HttpEngineResponse> call = engine.execute(get(uri("/silent")));
        eventually(() -> connectionsOpened.get() == 1, "the request reached the server");

        call.cancel(true);

        eventually(() -> connectionsClosed.get() == 1, "the cancelled request's connection closed");
    }

    @Test
    void aLargeBodyIsHandedOverOffTheEventLoopAndASmallOneOnIt() throws Exception {
        HttpEngine engine = engine(VertxEngine.create());
        CompletableFuture<String> smallThread = new CompletableFuture<>();
        CompletableFuture<String> largeThread = new CompletableFuture<>();

        engine.execute(get(uri("/"))).whenComplete((r, f) -> smallThread.complete(Thread.currentThread().getName()))
                .get(10, TimeUnit.SECONDS);
        HttpEngineResponse large = engine.execute(get(uri("/large")))
                .whenComplete((r, f) -> largeThread.complete(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);

        assertThat(new String(large.body().orElseThrow(), StandardCharsets.US_ASCII)).hasSize(2 * 1024 * 1024);
        assertThat(smallThread.get()).contains("-eventloop-thread-");
        assertThat(largeThread.get()).contains("-worker-thread-");
    }

    @Test
    void aSilentWebSocketServerFailsTheHandshakeWithAConnectTimeout() throws Exception {
        VertxEngine factory = VertxEngine.create();
        var ws = factory.newWebSocketEngine(EngineSettings.builder().name("ws").build());
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var opening = ws.open(dev.jgql.engine.WebSocketEngineRequest.builder(
                            URI.create("ws://127.0.0.1:" + mute.getLocalPort() + "/graphql"))
                    .connectTimeout(Duration.ofMillis(300)).build(), new RecordingListener());

            assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(java.net.http.HttpConnectTimeoutException.class);
        } finally {
            ws.close().get(10, TimeUnit.SECONDS);
        }
    }
}

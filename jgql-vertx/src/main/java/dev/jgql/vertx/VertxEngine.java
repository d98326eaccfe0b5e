package dev.jgql.vertx;

import dev.jgql.engine.Engine;
import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.WebSocketEngine;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxThreadFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine on Vert.x 5: HTTP on its {@code HttpClient} (HTTP/1.1, and HTTP/2 negotiated with
 * ALPN over TLS), WebSocket on its {@code WebSocketClient}, both on Netty. Either on a Vert.x
 * instance of its own or on the application's (Quarkus, Vert.x applications), whose event loops
 * it then shares and which it never closes.
 *
 * <pre>{@code
 * HttpTransport http = HttpTransport.builder(URI.create("https://host/graphql"))
 *     .engine(VertxEngine.create())
 *     .build();
 * // in a Vert.x or Quarkus application, on its own Vertx:
 * WebSocketTransport ws = WebSocketTransport.builder(URI.create("wss://host/graphql"))
 *     .engine(VertxEngine.using(vertx))
 *     .build();
 * }</pre>
 *
 * <h2>Threads</h2>
 * {@link #create()} starts its Vert.x when the first connection opens and closes it when the last
 * one closes; its threads are daemons named {@code jgql-vertx-N-eventloop-thread-M} (and
 * {@code -worker-thread-}, {@code -internal-blocking-}), one event loop per core. Whatever the
 * instance, the engine never blocks an event loop, and it completes the futures of whole HTTP
 * responses and calls WebSocket listeners and streamed-body subscribers <em>on the event loop</em>:
 * code chained to those futures must not block (chain it with {@code thenApplyAsync(…, executor)}
 * to block). A whole body larger than 1 MiB is handed over on a Vert.x worker thread instead, so
 * that parsing it does not hold the event loop.
 *
 * <h2>Connections (measured)</h2>
 * Each HTTP connection of a transport has its own Vert.x {@code HttpClient}: at most 5 HTTP/1.1
 * connections per host (the system property {@code jgql.vertx.maxHttp1Connections} changes that),
 * kept alive 60 s, requests beyond them waiting in Vert.x's queue; over TLS the engine offers
 * HTTP/2 by ALPN when the transport asks for it (the default for {@code https}) and then
 * multiplexes every request on one connection per host, as many streams as the server allows.
 * Why 5: {@code jgql-bench}'s {@code QueryBenchmark.throughput} (64 callers, small query, the
 * countries server on loopback, 2 cores, JDK 17, load 2.9 to 3.8 from other work, 30 s server
 * warm-up, 5 x 4 s warm-up and 3 x 4 s measured iterations, two interleaved rounds, 2026-12-01):
 * <table>
 *   <caption>ops/s by connection cap</caption>
 *   <tr><th>cap</th><th>round 1</th><th>round 2</th></tr>
 *   <tr><td>5</td><td>14,716</td><td>11,622</td></tr>
 *   <tr><td>8</td><td>14,776</td><td>12,717</td></tr>
 *   <tr><td>16</td><td>13,549</td><td>13,710</td></tr>
 *   <tr><td>64</td><td>13,539</td><td>15,214</td></tr>
 * </table>
 * From 5 connections on, the throughput is flat within the run-to-run noise (each run's own
 * error was wider than the spread between caps), while the raw JDK client, one connection per
 * caller, made 5,232 to 5,378 ops/s in the same setting. So the smallest cap on the plateau wins:
 * every socket costs the server (a C load generator gets 17,208 req/s from this server on 5
 * connections and 7,194 on 64), and 5 is also Vert.x's and OkHttp's default. Reproduce with
 * {@code java -Djgql.bench.http=URL -jar jgql-bench/core/target/benchmarks.jar QueryBenchmark
 * -p client=raw,jgqlVertx -p size=small -jvmArgsAppend -Djgql.vertx.maxHttp1Connections=N}.
 *
 * <h2>TLS</h2>
 * Certificates and host names are always verified. A transport's {@code sslContext(…)} is used
 * as it is: its trust managers, key managers and protocols (Netty's {@code JdkSslContext} wraps
 * it), with ALPN and host name verification added by the engine.
 *
 * <h2>Failures</h2>
 * Vert.x and Netty failures are reported in the JDK's vocabulary that transports classify (see
 * {@link HttpEngine}): Netty's connect timeout becomes
 * {@link java.net.http.HttpConnectTimeoutException}, a refused WebSocket upgrade
 * {@link dev.jgql.engine.UpgradeRejectedException} with its status, headers and body, a closed
 * connection an {@link java.io.IOException}.
 */
public final class VertxEngine implements Engine {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Vertx applicationVertx;
    private Vertx owned;
    private int users;

    private VertxEngine(Vertx applicationVertx) {
        this.applicationVertx = applicationVertx;
    }

    /**
     * The Vert.x engine on a Vert.x instance of its own, shared by every connection it opens,
     * started with the first and closed with the last.
     *
     * @return a new engine
     */
    public static VertxEngine create() {
        return new VertxEngine(null);
    }

    /**
     * The Vert.x engine on the application's Vert.x instance, which jgql never closes.
     *
     * @param vertx the instance whose event loops carry jgql's connections
     * @return a new engine
     */
    public static VertxEngine using(Vertx vertx) {
        return new VertxEngine(Objects.requireNonNull(vertx, "vertx"));
    }

    @Override
    public HttpEngine newHttpEngine(EngineSettings settings) {
        Lease lease = acquire();
        try {
            return new VertxHttpEngine(lease, settings);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
    }

    @Override
    public WebSocketEngine newWebSocketEngine(EngineSettings settings) {
        Lease lease = acquire();
        try {
            return new VertxWebSocketEngine(lease, settings);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
    }

    private synchronized Lease acquire() {
        if (applicationVertx != null) {
            return new Lease(applicationVertx, null);
        }
        if (owned == null) {
            owned = start();
        }
        users++;
        return new Lease(owned, this);
    }

    /** The last user of an owned instance closes it; a later connection starts a new one. */
    private CompletableFuture<Void> release(Vertx vertx) {
        synchronized (this) {
            if (owned != vertx || --users > 0) {
                return CompletableFuture.completedFuture(null);
            }
            owned = null;
        }
        return VertxFutures.toCompletable(vertx.close());
    }

    private static Vertx start() {
        String prefix = "jgql-vertx-" + INSTANCES.incrementAndGet() + "-";
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setUseDaemonThread(true);
        return VertxBootstrap.create().options(options).threadFactory(new NamedThreads(prefix)).init().vertx();
    }

    @Override
    public String toString() {
        return applicationVertx == null ? "VertxEngine" : "VertxEngine{application's Vertx}";
    }

    /** Names Vert.x's threads {@code jgql-vertx-N-…} instead of {@code vert.x-…}, so leak checks find them. */
    private static final class NamedThreads implements VertxThreadFactory {
        private final String prefix;

        NamedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                TimeUnit maxExecTimeUnit) {
            String renamed = prefix + (name.startsWith("vert.x-") ? name.substring("vert.x-".length()) : name);
            return VertxThreadFactory.super.newVertxThread(target, renamed, worker, maxExecTime, maxExecTimeUnit);
        }
    }

    /** One engine's hold on a Vert.x instance: released once, when the engine closes. */
    static final class Lease {
        final Vertx vertx;
        private final VertxEngine owner;
        private final AtomicBoolean released = new AtomicBoolean();

        Lease(Vertx vertx, VertxEngine owner) {
            this.vertx = vertx;
            this.owner = owner;
        }

        CompletableFuture<Void> release() {
            if (owner == null || !released.compareAndSet(false, true)) {
                return CompletableFuture.completedFuture(null);
            }
            return owner.release(vertx);
        }
    }
}

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
 * Each HTTP connection of a transport has its own Vert.x {@code HttpClient}: at most
 * 5 HTTP/1.1 connections per host (the system property
 * {@code jgql.vertx.maxHttp1Connections} changes that), kept alive 60 s; over
 * TLS the engine offers HTTP/2 by ALPN when the transport asks for it (the default for
 * {@code https}), and then multiplexes every request on one connection, as many streams as the
 * server allows. The cap was chosen by measurement with {@code jgql-bench}'s
 * {@code QueryBenchmark} (small query, 64 callers, the countries server on loopback, 2 cores):
 * see {@code VertxHttpEngine} for the figures. Requests beyond the cap wait in Vert.x's queue
 * rather than opening more sockets, which costs the server more than it gains the client.
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

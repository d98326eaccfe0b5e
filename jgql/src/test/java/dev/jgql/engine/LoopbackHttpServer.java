package dev.jgql.engine;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/** A Vert.x HTTP server on 127.0.0.1 for the engine tests, answering with the handler it is given. */
final class LoopbackHttpServer implements AutoCloseable {
    private final Vertx vertx;
    private final int port;

    private LoopbackHttpServer(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    static LoopbackHttpServer start(Handler<HttpServerRequest> handler) throws Exception {
        Vertx vertx = Vertx.vertx();
        int port = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        return new LoopbackHttpServer(vertx, port);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A new HTTP engine of the engine under test, for one test. */
    static HttpEngine newEngine() {
        return dev.jgql.TestEngines.engine().newHttpEngine(EngineSettings.builder().name("http").build());
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}

package dev.jgql.interop.vertx4;

import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.graphql.ApolloWSHandler;
import io.vertx.ext.web.handler.graphql.ApolloWSOptions;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x 4.5 server with {@code ApolloWSHandler}: the legacy graphql-ws protocol
 * (subscriptions-transport-ws) on {@code /graphql}, started in-process on 127.0.0.1. Its
 * {@code connection_init} is refused when the payload carries {@code "token": "bad"}. The tests run it
 * in a child JVM ({@link Vertx4ServerProcess}), away from the Vert.x 5 of jgql's Vert.x engine.
 */
final class Vertx4ApolloServer implements AutoCloseable {
    private static final String SCHEMA = """
            type Query { hello: String! }
            type Subscription { countdown(from: Int!): Int! }
            """;

    private final Vertx vertx;
    private final int port;
    private final AtomicInteger active;

    private Vertx4ApolloServer(Vertx vertx, int port, AtomicInteger active) {
        this.vertx = vertx;
        this.port = port;
        this.active = active;
    }

    /** Starts the server; {@code keepAliveMs} is the interval of its {@code ka} messages. */
    // ApolloWSHandler is deprecated in Vert.x 4 (removed in 5) with the legacy protocol it serves: that protocol
    // is exactly what this module tests against.
    @SuppressWarnings("deprecation")
    static Vertx4ApolloServer start(long keepAliveMs) throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger active = new AtomicInteger();
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetcher("hello", env -> "Hello from Vert.x 4"))
                .type("Subscription", type -> type.dataFetcher("countdown",
                        env -> new Countdown(vertx, env.getArgument("from"), active)))
                .build();
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SCHEMA), wiring);
        GraphQL graphQL = GraphQL.newGraphQL(schema).build();
        Router router = Router.router(vertx);
        router.route("/graphql").handler(ApolloWSHandler.create(graphQL, new ApolloWSOptions().setKeepAlive(keepAliveMs))
                .connectionInitHandler(event -> {
                    JsonObject params = event.message().content().getJsonObject("payload");
                    if (params != null && "bad".equals(params.getString("token"))) {
                        event.fail("invalid token");
                    } else {
                        event.complete();
                    }
                }));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().addWebSocketSubProtocol("graphql-ws"))
                .requestHandler(router);
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        return new Vertx4ApolloServer(vertx, port, active);
    }

    /**
     * Runs the server in this JVM until standard input ends: prints {@code PORT n}, and answers
     * each {@code active} line with {@code ACTIVE n} (see {@link Vertx4ServerProcess}).
     *
     * @param args the interval of the server's {@code ka} messages in milliseconds
     */
    public static void main(String[] args) throws Exception {
        try (Vertx4ApolloServer server = start(Long.parseLong(args[0]))) {
            System.out.println("PORT " + server.port);
            System.out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.trim().equals("active")) {
                    System.out.println("ACTIVE " + server.activeCountdowns());
                    System.out.flush();
                }
            }
        }
    }

    int activeCountdowns() {
        return active.get();
    }

    URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/graphql");
    }

    /** Stops Vert.x and waits for it, at most 10 seconds. */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while closing Vert.x", e);
        }
    }

    /** from, from-1, …, 0 every 5 ms while there is demand. */
    private static final class Countdown implements Publisher<Integer> {
        private final Vertx vertx;
        private final int from;
        private final AtomicInteger active;

        Countdown(Vertx vertx, int from, AtomicInteger active) {
            this.vertx = vertx;
            this.from = from;
            this.active = active;
        }

        @Override
        public void subscribe(Subscriber<? super Integer> subscriber) {
            active.incrementAndGet();
            AtomicInteger next = new AtomicInteger(from);
            long[] timer = new long[1];
            java.util.concurrent.atomic.AtomicLong demand = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    demand.addAndGet(n);
                }

                @Override
                public void cancel() {
                    if (done.compareAndSet(false, true)) {
                        vertx.cancelTimer(timer[0]);
                        active.decrementAndGet();
                    }
                }
            });
            timer[0] = vertx.setPeriodic(5, id -> {
                if (done.get() || demand.get() <= 0) {
                    return;
                }
                demand.decrementAndGet();
                int value = next.getAndDecrement();
                subscriber.onNext(value);
                if (value == 0 && done.compareAndSet(false, true)) {
                    vertx.cancelTimer(id);
                    active.decrementAndGet();
                    subscriber.onComplete();
                }
            });
        }
    }
}

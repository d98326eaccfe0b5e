package dev.jgql.bench;

import dev.jgql.Client;
import dev.jgql.ClientEventListener;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.engine.Engine;
import dev.jgql.engine.JdkEngine;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import dev.jgql.vertx.VertxEngine;
import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.HttpGraphQlClient;
import org.springframework.graphql.client.HttpSyncGraphQlClient;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One GraphQL query round trip against the out-of-process countries server, per client.
 *
 * <ul>
 *   <li>{@code raw}: {@link RawJdkClient}, the floor.</li>
 *   <li>{@code jgql}: the permanent session ({@code client.connectAsync(Reconnect.defaults())}) over
 *       {@link HttpTransport} with its defaults, called through its blocking view
 *       ({@code session.blocking().execute(…)}), as the raw client blocks in {@code send()}.</li>
 *   <li>{@code jgqlAsync}: the same session through its asynchronous API, {@code session.execute(…).join()}.</li>
 *   <li>{@code jgqlWs}: the same session over {@link WebSocketTransport} with its defaults (one socket).</li>
 *   <li>{@code jgqlVertx}, {@code jgqlVertxWs}: the same two on the Vert.x engine ({@code jgql-vertx}).</li>
 *   <li>{@code jgqlEngine}: {@link EngineRoundTrip}, the JDK engine alone (body, exchange, JSON parse): jgql minus
 *       this is what the pipeline costs a caller.</li>
 *   <li>{@code jgqlListener}: {@code jgql} with an event listener that does nothing: what events cost.</li>
 *   <li>{@code jgqlVertx}, {@code jgqlVertxWs}: the same two on {@link VertxEngine#create()} instead of the JDK
 *       engine.</li>
 *   <li>{@code springSync}: Spring for GraphQL {@code HttpSyncGraphQlClient} on a {@code RestClient} with the JDK
 *       {@code HttpClient} request factory (HTTP/1.1), {@code executeSync().getData()}.</li>
 *   <li>{@code springAsync}: {@code HttpGraphQlClient} on a {@code WebClient} with the JDK connector,
 *       {@code execute().block().getData()}.</li>
 * </ul>
 *
 * <p>{@link #latency} is one caller (sample time: median, p99); {@link #throughput1} the same caller in
 * operations per second; {@link #throughput} is 64 callers blocking on their own requests.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class QueryBenchmark {

    @Param({"raw", "jgql", "jgqlWs", "jgqlVertx", "jgqlVertxWs", "jgqlEngine", "jgqlListener", "jgqlAsync",
            "springSync", "springAsync"})
    public String client;

    @Param({"small", "large"})
    public String size;

    private BenchServer server;
    private Call call;
    private AutoCloseable closer;

    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = BenchServer.acquire();
        String document = Queries.document(size);
        Map<String, Object> variables = Queries.variables(size);
        switch (client) {
            case "raw" -> {
                RawJdkClient raw = new RawJdkClient(server.httpUri());
                byte[] jgqlBody = GraphQLJson.writeRequest(GraphQLJson.defaultMapper(),
                        Gql.gql(document).withVariables(variables));
                if (!Arrays.equals(raw.body(document, variables), jgqlBody)) {
                    throw new IllegalStateException("The raw body differs from jgql's: "
                            + new String(raw.body(document, variables)) + " vs " + new String(jgqlBody));
                }
                call = () -> raw.execute(document, variables);
                closer = () -> { };
            }
            case "jgql", "jgqlWs", "jgqlVertx", "jgqlVertxWs", "jgqlListener", "jgqlAsync" -> {
                Engine engine = client.startsWith("jgqlVertx") ? VertxEngine.create() : JdkEngine.create();
                Client.Builder builder = Client.builder()
                        .transport(client.endsWith("Ws")
                                ? WebSocketTransport.builder(server.webSocketUri()).engine(engine).build()
                                : HttpTransport.builder(server.httpUri()).engine(engine).build());
                if (client.equals("jgqlListener")) {
                    // A listener that does nothing: what building and delivering the events costs.
                    builder.eventListener(new ClientEventListener() { });
                }
                Client jgql = builder.build();
                ReconnectingSession session = jgql.connectAsync(Reconnect.defaults()).join();
                GraphQLRequest request = Gql.gql(document);
                if (client.equals("jgqlAsync")) {
                    call = () -> session.execute(request, variables).join();
                } else {
                    // A caller that blocks, as the raw client blocks in send(): the session's blocking view.
                    Session blocking = session.blocking();
                    call = () -> blocking.execute(request, variables);
                }
                closer = jgql;
            }
            case "jgqlEngine" -> {
                // The JDK engine's own round trip, with the same body and the same JSON parse: the floor under
                // jgql's pipeline, so jgql minus this is what the pipeline, retries and timers cost.
                EngineRoundTrip engine = new EngineRoundTrip(server.httpUri());
                GraphQLRequest request = Gql.gql(document).withVariables(variables);
                call = () -> engine.execute(request);
                closer = engine;
            }
            case "springSync" -> {
                HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                RestClient rest = RestClient.builder()
                        .baseUrl(server.httpUri().toString())
                        .requestFactory(new JdkClientHttpRequestFactory(jdk))
                        .build();
                HttpSyncGraphQlClient spring = HttpSyncGraphQlClient.builder(rest).build();
                call = () -> data(spring.document(document).variables(variables).executeSync());
                closer = () -> { };
            }
            case "springAsync" -> {
                HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                WebClient web = WebClient.builder()
                        .baseUrl(server.httpUri().toString())
                        .clientConnector(new JdkClientHttpConnector(jdk))
                        .build();
                HttpGraphQlClient spring = HttpGraphQlClient.builder(web).build();
                call = () -> data(spring.document(document).variables(variables).execute().block());
                closer = () -> { };
            }
            default -> throw new IllegalArgumentException("unknown client " + client);
        }
        Object first = call.run();
        if (!(first instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new IllegalStateException(client + " returned no data: " + first);
        }
    }

    private static Map<String, Object> data(ClientGraphQlResponse response) {
        if (response == null || !response.isValid() || !response.getErrors().isEmpty()) {
            throw new IllegalStateException("GraphQL failure: " + response);
        }
        return response.getData();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        closer.close();
        server.close();
    }

    /** One caller: the round-trip time distribution. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public Object latency() throws Exception {
        return call.run();
    }

    /** One caller: operations per second, to compare with the 64-caller figure in the same unit. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public Object throughput1() throws Exception {
        return call.run();
    }

    /** 64 concurrent callers sharing one client: operations per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(64)
    public Object throughput() throws Exception {
        return call.run();
    }
}

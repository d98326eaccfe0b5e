package dev.jgql.bench;

import io.smallrye.graphql.client.Response;
import io.smallrye.graphql.client.dynamic.api.DynamicGraphQLClient;
import io.smallrye.graphql.client.vertx.dynamic.VertxDynamicGraphQLClientBuilder;
import io.vertx.core.Vertx;
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

/**
 * {@code QueryBenchmark}'s shape for SmallRye's dynamic client (Vert.x 4 WebClient, its defaults), in a jar of
 * its own: {@code executeSync(document, variables)} and the {@code data} object (JSON-P) of the response.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SmallRyeQueryBenchmark {

    @Param({"smallrye"})
    public String client;

    @Param({"small", "large"})
    public String size;

    private BenchServer server;
    private Vertx vertx;
    private DynamicGraphQLClient smallrye;
    private String document;
    private Map<String, Object> variables;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = BenchServer.acquire();
        document = Queries.document(size);
        variables = Queries.variables(size);
        // Our own Vert.x instance, closed in tearDown: the client does not close one it creates itself, and its
        // non-daemon threads would keep the fork alive.
        vertx = Vertx.vertx();
        smallrye = new VertxDynamicGraphQLClientBuilder().vertx(vertx).url(server.httpUri().toString()).build();
        Object first = run();
        if (first == null) {
            throw new IllegalStateException("SmallRye returned no data");
        }
    }

    private Object run() throws Exception {
        Response response = smallrye.executeSync(document, variables);
        if (response.hasError()) {
            throw new IllegalStateException("GraphQL failure: " + response.getErrors());
        }
        return response.getData();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        smallrye.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close();
    }

    /** One caller: the round-trip time distribution. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public Object latency() throws Exception {
        return run();
    }

    /** One caller: operations per second, to compare with the 64-caller figure in the same unit. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public Object throughput1() throws Exception {
        return run();
    }

    /** 64 concurrent callers sharing one client: operations per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(64)
    public Object throughput() throws Exception {
        return run();
    }
}

package dev.jgql.bench;

import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.schema.ScalarCodec;
import dev.jgql.schema.Scalars;
import dev.jgql.transport.http.HttpTransport;
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
 * What a known schema costs a call once its document's validation is cached: the permanent session over HTTP
 * (the {@code jgql} client of {@link QueryBenchmark}), blocking, with the same documents.
 *
 * <ul>
 *   <li>{@code none}: no schema, as {@link QueryBenchmark}'s {@code jgql}.</li>
 *   <li>{@code schema}: the schema fetched by introspection at connect; every call is validated (from the cache).</li>
 *   <li>{@code scalars}: the same with DateTime and BigDecimal codecs registered, so variables and answers are
 *       looked at for custom scalars (the queries hold none: the cost of finding that out, per call).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SchemaBenchmark {

    @Param({"none", "schema", "scalars"})
    public String mode;

    @Param({"small", "large"})
    public String size;

    private BenchServer server;
    private Client client;
    private Session session;
    private GraphQLRequest request;
    private Map<String, Object> variables;

    @Setup(Level.Trial)
    public void setUp() {
        server = BenchServer.acquire();
        Client.Builder builder = Client.builder().transport(HttpTransport.builder(server.httpUri()).build());
        if (!mode.equals("none")) {
            builder.fetchSchemaFromTransport(true);
        }
        if (mode.equals("scalars")) {
            builder.scalars(Scalars.builder()
                    .scalar("DateTime", ScalarCodec.offsetDateTime())
                    .scalar("BigDecimal", ScalarCodec.bigDecimal())
                    .build());
        }
        client = builder.build();
        ReconnectingSession permanent = client.connectAsync(Reconnect.defaults()).join();
        if (!mode.equals("none")) {
            // The permanent session fetches the schema when it is first connected; wait for it, bounded.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (permanent.schema().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (permanent.schema().isEmpty()) {
                throw new IllegalStateException("no schema after 10 s");
            }
        }
        session = permanent.blocking();
        request = Gql.gql(Queries.document(size));
        variables = Queries.variables(size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public Object throughput1() {
        return session.execute(request, variables);
    }
}

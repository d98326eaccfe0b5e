package dev.jgql.bench;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.TransportClosedException;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
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
 * What a known schema costs a call once its document's validation is cached: the permanent session, blocking, with
 * the documents of {@link QueryBenchmark}, over HTTP to the countries server ({@code transport=http}, the
 * {@code jgql} client of {@link QueryBenchmark}) and over an in-process transport that answers at once with the
 * server's answer parsed beforehand ({@code transport=inprocess}: no network, so the per-call cost of the pipeline
 * and the schema step is all that is measured).
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

    @Param({"http", "inprocess"})
    public String transport;

    private BenchServer server;
    private Client client;
    /** The real connection behind the in-process transport, asked once per distinct request. */
    private TransportConnection backing;
    private Session session;
    private GraphQLRequest request;
    private Map<String, Object> variables;

    @Setup(Level.Trial)
    public void setUp() {
        server = BenchServer.acquire();
        Transport http = HttpTransport.builder(server.httpUri()).build();
        Client.Builder builder = Client.builder().transport(transport.equals("http") ? http : answering(http));
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

    /**
     * A transport that answers every request at once with what the server answered to it once, parsed beforehand
     * (the introspection query included, so the schema can be fetched through it).
     */
    private Transport answering(Transport http) {
        Map<String, ExecutionResult> answers = new ConcurrentHashMap<>();
        return context -> {
            synchronized (answers) {
                if (backing == null) {
                    backing = http.connect(context).join();
                }
            }
            CompletableFuture<Void> closed = new CompletableFuture<>();
            return CompletableFuture.completedFuture(new TransportConnection() {
                @Override
                public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
                    String key = request.document() + request.variables();
                    ExecutionResult answer = answers.get(key);
                    if (answer == null) {
                        answer = backing.execute(request).join();
                        answers.put(key, answer);
                    }
                    return CompletableFuture.completedFuture(answer);
                }

                @Override
                public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
                    throw new UnsupportedOperationException("no subscriptions in this benchmark");
                }

                @Override
                public CompletionStage<TransportClosedException> whenClosed() {
                    return closed.thenApply(ignored -> new TransportClosedException("closed"));
                }

                @Override
                public boolean isOpen() {
                    return !closed.isDone();
                }

                @Override
                public CompletableFuture<Void> close() {
                    closed.complete(null);
                    return CompletableFuture.completedFuture(null);
                }
            });
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        if (backing != null) {
            backing.close().join();
        }
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

package dev.jgql.bench;

import dev.jgql.AsyncSession;
import dev.jgql.Batching;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.transport.http.HttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * 100 small queries started at once against the out-of-process countries server (batching enabled):
 * {@code single}, each its own HTTP request (all in flight together); {@code automatic}, the same
 * calls with {@link Batching automatic batching} (at most 100 a batch, so one HTTP request carrying
 * a JSON array); {@code explicit}, one {@code executeBatch} of the 100. The ratio of the times is what
 * batching saves a burst of small queries.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BatchBenchmark {
    private static final int CALLS = 100;

    @Param({"single", "automatic", "explicit"})
    public String mode;

    private BenchServer server;
    private Client client;
    private AsyncSession session;
    private GraphQLRequest query;
    private List<GraphQLRequest> requests;

    @Setup(Level.Trial)
    public void setUp() {
        server = BenchServer.acquire();
        Client.Builder builder = Client.builder().transport(HttpTransport.builder(server.httpUri()).build());
        if (mode.equals("automatic")) {
            builder.batching(Batching.of(Duration.ofMillis(10), CALLS));
        }
        client = builder.build();
        session = client.connectAsync().join();
        query = Gql.gql(Queries.document("small"));
        requests = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            requests.add(query.withVariables(Queries.variables("small")));
        }
    }

    @Benchmark
    public Object hundredQueries() {
        if (mode.equals("explicit")) {
            return session.executeBatch(requests).join();
        }
        List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>(CALLS);
        for (GraphQLRequest request : requests) {
            calls.add(session.execute(request));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        return calls;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        client.close();
        server.close();
    }
}

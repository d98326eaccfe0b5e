package dev.jgql.transport.ws;

import dev.failsafe.RetryPolicy;
import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.TestEngines;
import dev.jgql.countries.CountriesServer;
import dev.jgql.fuzz.Outcomes;
import dev.jgql.testkit.ChaosProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead links are found fast under a kill loop: every WebSocket through the chaos proxy is reset
 * every 50 ms for five seconds while eight threads send counted mutations. A reset the engine
 * notices ends the link at once; one it misses (the JDK does not report the close of a few percent
 * of reset connections) is found by the silence watch, so no link stays CONNECTED for a second; and
 * no mutation is applied twice. Real time, bounded: about eight seconds.
 */
@Tag("chaos")
@Timeout(60)
class WebSocketKillLoopTest {
    private static final GraphQLRequest INCREMENT = gql("mutation I($id: String) { increment(by: 1, requestId: $id) }");
    private static final Duration KILL_EVERY = Duration.ofMillis(50);
    private static final Duration KILLING_FOR = Duration.ofSeconds(5);
    /** A quarter of a second: a missed reset is then found within about half a second. */
    private static final Duration LIVENESS = Duration.ofMillis(250);

    @Test
    void noLinkStaysConnectedForASecondWhileKillsFireEvery50Ms() throws Exception {
        try (CountriesServer backend = CountriesServer.start(0); ChaosProxy proxy = ChaosProxy.start(backend.port())) {
            RetryPolicy<Object> quickConnect = Reconnect.backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                    .handle(Exception.class).withMaxRetries(-1).build();
            Client client = Client.builder().transport(TestEngines.ws(proxy.webSocketUri("/graphql"))
                    .livenessTimeout(LIVENESS).build()).build();
            ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                ReconnectingSession session = client.connectAsync(Reconnect.builder().retryConnect(quickConnect).build())
                        .get(10, TimeUnit.SECONDS);
                ConnectedStretches stretches = new ConnectedStretches();
                session.addStateListener((from, to) -> stretches.changed(to));
                stretches.changed(session.state());

                killer.scheduleAtFixedRate(proxy::killAll, KILL_EVERY.toMillis(), KILL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                long end = System.nanoTime() + KILLING_FOR.toNanos();
                AtomicInteger next = new AtomicInteger();
                AtomicInteger succeeded = new AtomicInteger();
                List<Future<?>> loops = new ArrayList<>();
                for (int thread = 0; thread < 8; thread++) {
                    loops.add(callers.submit(() -> {
                        while (System.nanoTime() < end) {
                            String id = "k" + next.getAndIncrement();
                            try {
                                session.execute(INCREMENT, Map.of("id", id)).get(20, TimeUnit.SECONDS);
                                succeeded.incrementAndGet();
                            } catch (ExecutionException e) {
                                Outcomes.assertJgqlOwn(e.getCause());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> loop : loops) {
                    loop.get(40, TimeUnit.SECONDS);
                }
                killer.shutdownNow();
                stretches.changed(null); // closes an open stretch at the end of the run

                assertThat(proxy.totalConnections()).as("links were killed and reopened").isGreaterThan(20);
                assertThat(stretches.longest()).as("longest CONNECTED stretch over %d connections",
                        proxy.totalConnections()).isLessThan(Duration.ofSeconds(1));
                for (int i = 0; i < next.get(); i++) {
                    assertThat(backend.timesApplied("k" + i)).as("times k%d was applied", i).isLessThanOrEqualTo(1);
                }
                assertThat(succeeded.get()).as("the run is not vacuous").isGreaterThan(0);
            } finally {
                killer.shutdownNow();
                callers.shutdownNow();
                client.closeAsync().get(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The longest time the session stayed CONNECTED in one go. */
    private static final class ConnectedStretches {
        private final AtomicLong connectedSince = new AtomicLong(-1);
        private final AtomicLong longest = new AtomicLong();

        void changed(ConnectionState to) {
            long now = System.nanoTime();
            long since = connectedSince.getAndSet(to == ConnectionState.CONNECTED ? now : -1);
            if (since >= 0) {
                longest.accumulateAndGet(now - since, Math::max);
            }
        }

        Duration longest() {
            return Duration.ofNanos(longest.get());
        }
    }
}

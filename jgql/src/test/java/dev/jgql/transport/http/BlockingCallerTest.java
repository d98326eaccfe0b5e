package dev.jgql.transport.http;

import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.JgqlException;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportTimeoutException;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A caller of the blocking API lends its own thread to the exchange (no hand-over), and still gets
 * its timeout on time, its thread back clean, and its own interrupts kept.
 */
@Timeout(30)
class BlockingCallerTest {
    private static final String OK = "{\"data\":{\"ok\":true}}";

    private final ScriptedHttpServer server = ScriptedHttpServer.start();
    private Client client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void aBlockingCallIsAnsweredOnTheCallersOwnThreadAndAnAsyncOneIsNot() {
        assumeTrue(TestEngines.isJdk(), "the JDK engine's synchronous send; the Vert.x engine answers on its event loop");
        // Answered after 100 ms, so that the interceptor's callback is attached before the async call
        // completes (on a busy machine an immediate answer could beat it, and the callback would run
        // on the caller's thread for that reason alone).
        server.handler(request -> Response.json(200, OK).withDelay(Duration.ofMillis(100)));
        List<String> completedOn = new CopyOnWriteArrayList<>();
        GraphQLInterceptor where = (call, chain) -> chain.proceed(call)
                .whenComplete((result, failure) -> completedOn.add(Thread.currentThread().getName()));
        client = Client.builder().transport(TestEngines.http(server.uri()).build()).attemptInterceptor(where).build();

        try (Session session = client.connect()) {
            assertThat(session.execute(gql("{ ok }"))).containsEntry("ok", true);
            assertThat(session.async().execute(gql("{ ok }")).orTimeout(10, TimeUnit.SECONDS).join()).containsEntry("ok", true);
        }

        assertThat(completedOn.get(0)).as("blocking: no hand-over").isEqualTo(Thread.currentThread().getName());
        assertThat(completedOn.get(1)).as("async: the caller is not kept").isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aBlockingCallThatGetsNoAnswerIsReleasedAtItsTimeoutWithACleanThread() {
        server.enqueue(Response.noResponse());
        client = Client.builder().transport(TestEngines.http(server.uri()).build())
                .executeTimeout(Duration.ofMillis(300)).build();

        try (Session session = client.connect()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.execute(gql("mutation { increment }"))).isInstanceOf(TransportTimeoutException.class)
                    .hasMessageContaining("may have been applied");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt that stopped the exchange is not left behind")
                    .isFalse();

            server.handler(request -> Response.json(200, OK));
            assertThat(session.execute(gql("{ ok }"))).as("the thread works on").containsEntry("ok", true);
        }
    }

    @Test
    void anInterruptOfTheApplicationsOwnIsKept() throws Exception {
        server.handler(request -> Response.json(200, OK).withDelay(Duration.ofSeconds(20)));
        client = Client.builder().transport(TestEngines.http(server.uri()).build()).build();
        ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor();
        try (Session session = client.connect()) {
            Thread caller = Thread.currentThread();
            interrupter.schedule(caller::interrupt, 300, TimeUnit.MILLISECONDS);

            assertThatThrownBy(() -> session.execute(gql("{ ok }"))).isInstanceOf(JgqlException.class);
            assertThat(Thread.interrupted()).as("the application's interrupt is still set (and cleared here)").isTrue();
        } finally {
            interrupter.shutdownNow();
            assertThat(interrupter.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aSecondExchangeOfTheSameCallGoesToTheEnginesThreads() {
        assumeTrue(TestEngines.isJdk(), "the JDK engine's synchronous send");
        // The GET is refused with 405 and the query is sent again as POST: only the first exchange is the caller's.
        server.enqueue(Response.status(405), Response.json(200, OK));
        client = Client.builder().transport(TestEngines.http(server.uri()).useGetForQueries(true).build()).build();
        try (Session session = client.connect()) {
            ExecutionResult result = session.executeForResult(gql("{ ok }"));
            assertThat(result.data()).containsEntry("ok", true);
            assertThat(server.requestCount()).isEqualTo(2);
        }
    }
}

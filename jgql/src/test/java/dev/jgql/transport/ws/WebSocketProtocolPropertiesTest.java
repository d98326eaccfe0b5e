package dev.jgql.transport.ws;

import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.TestEngines;
import dev.jgql.fuzz.Fuzz;
import dev.jgql.fuzz.Outcomes;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.jgql.transport.ws.WsTesting.WAIT;
import static dev.jgql.transport.ws.WsTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket protocol handling as a whole, over a real socket on the engine under test: whatever
 * a server sends (well-formed, mutated or random messages, whole or in two fragments, in either
 * protocol) while a query and a subscription are open, and however it then leaves (a close frame
 * or a dropped connection), both operations end, with a result or jgql's own exception, and the
 * link reports its end. Few tries (each opens a connection) keep the build fast.
 */
class WebSocketProtocolPropertiesTest {
    private static final GraphQLRequest QUERY = Gql.gql("{ counter }");
    private static final GraphQLRequest SUBSCRIPTION = Gql.gql("subscription { countdown(from: 3) }");
    private static final int SECONDS = 10;

    private static ScriptedWebSocketServer server;
    private static ScheduledExecutorService scheduler;

    @BeforeContainer
    static void start() {
        server = Scripts.acking().start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterContainer
    static void stop() throws Exception {
        server.close();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Provide
    Arbitrary<List<String>> conversations() {
        return Fuzz.messages().list().ofMaxSize(8);
    }

    @Property(tries = 40)
    void whateverTheServerSaysEveryOperationEnds(@ForAll("conversations") List<String> frames,
            @ForAll WebSocketProtocol protocol, @ForAll boolean fragmented, @ForAll boolean drop) {
        WebSocketConnection connection = (WebSocketConnection) WsTesting.connect(TestEngines.ws(server.uri())
                .protocol(protocol).build(), scheduler);
        ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
        CompletableFuture<ExecutionResult> execute = connection.execute(QUERY);
        RecordingSubscriber<ExecutionResult> stream = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.subscribe(SUBSCRIPTION).subscribe(stream);
        peer.awaitMessage(text -> text.contains("counter"), WAIT);
        peer.awaitMessage(text -> text.contains("countdown"), WAIT);

        for (String frame : frames) {
            boolean sent = fragmented && frame.length() > 1
                    ? peer.sendTextFragments(frame.substring(0, frame.length() / 2), frame.substring(frame.length() / 2))
                    : peer.sendText(frame);
            if (!sent) {
                break; // the client closed the link (a protocol violation): the rest cannot arrive
            }
        }
        if (drop) {
            peer.dropConnection();
        } else {
            peer.close(1000, "the end of the conversation");
        }

        Outcomes.endsWithResultOrJgqlException(execute, SECONDS);
        stream.awaitTermination(WAIT);
        if (stream.error() != null) {
            Outcomes.assertJgqlOwn(stream.error());
        }
        assertThat(stream.violations()).as("the subscriber saw a lawful Flow sequence").isEmpty();
        assertThat(await(connection.whenClosed().toCompletableFuture())).isNotNull();
        assertThat(connection.isOpen()).isFalse();
        await(connection.close());
    }
}

package dev.jgql.transport.ws;

import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.TestEngines;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.jgql.transport.ws.Scripts.awaitType;
import static dev.jgql.transport.ws.Scripts.id;
import static dev.jgql.transport.ws.Scripts.next;
import static dev.jgql.transport.ws.WsTesting.WAIT;
import static dev.jgql.transport.ws.WsTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber that never keeps up costs bounded memory on the WebSocket transport, whatever the
 * server sends: 256 MiB of events (256 one-MiB events) pushed at a subscriber that requested one,
 * by a server that goes on after the client's {@code complete}, in a JVM whose heap (-Xmx64m, the
 * build's small-heap execution) could not hold a quarter of them. The subscription's buffer of 16
 * events overflows, the subscription alone ends, later events for it are dropped as they arrive,
 * and the link still answers. Runs on the engine under test (JDK here, Vert.x in jgql-vertx).
 */
@Timeout(120)
class WebSocketSlowSubscriberSmallHeapTest {
    private static final int EVENT_SIZE = 1024 * 1024;
    private static final int EVENTS = 256;
    private static final int BUFFER = 16;

    @Test
    void aSlowSubscriberOverflowsItsBoundedBufferAndTheFloodIsDropped() {
        assertThat(Runtime.getRuntime().maxMemory()).as("a heap that cannot hold the flood").isLessThan(128L << 20);
        FakeScheduler scheduler = new FakeScheduler();
        try (ScriptedWebSocketServer server = Scripts.acking().start()) {
            WebSocketConnection connection = (WebSocketConnection) WsTesting.connect(TestEngines.ws(server.uri())
                    .subscriptionBufferSize(BUFFER).maxMessageSize(2 * EVENT_SIZE).build(), scheduler);
            ScriptedWebSocketConnection peer = server.awaitConnection(WAIT);
            RecordingSubscriber<ExecutionResult> slow = new RecordingSubscriber<>(1);
            connection.subscribe(Gql.gql("subscription { blobs }")).subscribe(slow);
            String id = id(awaitType(peer, "subscribe", WAIT));

            String blob = "x".repeat(EVENT_SIZE - 64);
            int sent = 0;
            for (int i = 0; i < EVENTS; i++) {
                if (peer.sendText(next(id, "{\"data\":{\"blobs\":\"" + blob + "\"}}"))) {
                    sent++;
                }
            }

            assertThat(sent).as("the whole flood went out").isEqualTo(EVENTS);
            assertThat(slow.awaitError(WAIT)).isInstanceOf(dev.jgql.SubscriptionBufferOverflowException.class)
                    .hasMessageContaining("more than " + BUFFER + " events");
            assertThat(slow.items()).hasSize(1);
            assertThat(id(awaitType(peer, "complete", WAIT))).as("stopped on the server too").isEqualTo(id);
            // The link read and dropped the rest, and still answers.
            CompletableFuture<ExecutionResult> after = connection.execute(Gql.gql("{ alive }"));
            String query = peer.awaitMessage(text -> text.contains("alive"), WAIT);
            peer.sendText(next(id(query), "{\"data\":{\"alive\":true}}"));
            assertThat(await(after).data()).containsEntry("alive", true);

            CompletableFuture<Void> closing = connection.close();
            scheduler.advance(Duration.ofMinutes(1));
            await(closing);
        }
    }
}

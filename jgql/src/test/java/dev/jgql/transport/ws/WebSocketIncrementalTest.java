package dev.jgql.transport.ws;

import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.TestEngines;
import dev.jgql.TransportProtocolException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.jgql.transport.ws.Scripts.awaitType;
import static dev.jgql.transport.ws.Scripts.complete;
import static dev.jgql.transport.ws.Scripts.id;
import static dev.jgql.transport.ws.Scripts.next;
import static dev.jgql.transport.ws.Scripts.type;
import static dev.jgql.transport.ws.WsTesting.WAIT;
import static dev.jgql.transport.ws.WsTesting.await;
import static dev.jgql.transport.ws.WsTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental delivery ({@code @defer}/{@code @stream}) over graphql-transport-ws, as GraphQL Yoga
 * and graphql-ws servers send it: one {@code next} message per payload, then {@code complete}.
 * {@code execute} returns the merged data, a subscription shows it grow; both result formats.
 */
@Timeout(30)
class WebSocketIncrementalTest {
    private static final GraphQLRequest DEFERRED = Gql.gql("{ hello ... @defer(label: \"D\") { slow } }");

    private final FakeScheduler scheduler = new FakeScheduler();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private ScriptedWebSocketConnection connect(List<WebSocketConnection> connection) {
        ScriptedWebSocketServer server = Scripts.acking().start();
        resources.add(server);
        WebSocketConnection client = (WebSocketConnection) WsTesting.connect(TestEngines.ws(server.uri()).build(), scheduler);
        resources.add(() -> {
            CompletableFuture<Void> closing = client.close();
            scheduler.advance(Duration.ofMinutes(1)); // close timeout, should a server not answer
            await(closing);
        });
        connection.add(client);
        return server.awaitConnection(WAIT);
    }

    @Test
    void executeReturnsTheMergedDataOfTheIncrementalFormat() {
        List<WebSocketConnection> connection = new ArrayList<>();
        ScriptedWebSocketConnection peer = connect(connection);
        CompletableFuture<ExecutionResult> result = connection.get(0).execute(DEFERRED);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"hello\":\"world\"},\"hasNext\":true}"));
        assertThat(result).as("not done before the last payload").isNotDone();
        peer.sendText(next(id, "{\"incremental\":[{\"data\":{\"slow\":\"slow\"},\"path\":[],\"label\":\"D\"}],\"hasNext\":false}"));
        peer.sendText(complete(id));

        assertThat(await(result).data()).isEqualTo(Map.of("hello", "world", "slow", "slow"));
    }

    @Test
    void executeReturnsTheMergedDataOfThePendingCompletedFormatEvenWithoutAFinalHasNext() {
        List<WebSocketConnection> connection = new ArrayList<>();
        ScriptedWebSocketConnection peer = connect(connection);
        CompletableFuture<ExecutionResult> result = connection.get(0).execute(DEFERRED);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"hello\":\"world\"},\"pending\":[{\"id\":\"0\",\"path\":[],\"label\":\"D\"}],"
                + "\"hasNext\":true}"));
        peer.sendText(next(id, "{\"incremental\":[{\"id\":\"0\",\"data\":{\"slow\":\"slow\"}}],\"completed\":[{\"id\":\"0\"}],"
                + "\"hasNext\":true}"));
        assertThat(result).isNotDone();
        peer.sendText(complete(id)); // a server that ends with complete instead of hasNext: false

        assertThat(await(result).data()).isEqualTo(Map.of("hello", "world", "slow", "slow"));
    }

    @Test
    void aSubscriptionToADeferredQueryShowsTheDataGrow() {
        List<WebSocketConnection> connection = new ArrayList<>();
        ScriptedWebSocketConnection peer = connect(connection);
        RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        connection.get(0).subscribe(DEFERRED).subscribe(events);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"hello\":\"world\"},\"hasNext\":true}"));
        peer.sendText(next(id, "{\"incremental\":[{\"data\":{\"slow\":\"slow\"},\"path\":[]}],\"hasNext\":false}"));
        peer.sendText(complete(id));

        events.awaitTermination(WAIT);
        assertThat(events.error()).isNull();
        assertThat(events.items()).extracting(ExecutionResult::data).containsExactly(
                Map.of("hello", "world"), Map.of("hello", "world", "slow", "slow"));
    }

    @Test
    void aPayloadForAnUnknownPendingIdFailsTheCallClearlyAndStopsItOnTheServer() {
        List<WebSocketConnection> connection = new ArrayList<>();
        ScriptedWebSocketConnection peer = connect(connection);
        CompletableFuture<ExecutionResult> result = connection.get(0).execute(DEFERRED);
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"hello\":\"world\"},\"pending\":[{\"id\":\"0\",\"path\":[]}],\"hasNext\":true}"));
        peer.sendText(next(id, "{\"incremental\":[{\"id\":\"7\",\"data\":{\"slow\":\"slow\"}}],\"hasNext\":false}"));

        assertThat(failure(result)).isInstanceOf(TransportProtocolException.class).hasMessageContaining("'next' message");
        String stop = peer.awaitMessage(text -> type(text).equals("complete"), WAIT);
        assertThat(id(stop)).isEqualTo(id);
        assertThat(connection.get(0).isOpen()).as("one bad answer does not end the connection").isTrue();
    }

    @Test
    void aPlainResultIsNotHeldBack() {
        List<WebSocketConnection> connection = new ArrayList<>();
        ScriptedWebSocketConnection peer = connect(connection);
        CompletableFuture<ExecutionResult> result = connection.get(0).execute(Gql.gql("{ hello }"));
        String id = id(awaitType(peer, "subscribe", WAIT));
        peer.sendText(next(id, "{\"data\":{\"hello\":\"world\"}}"));

        assertThat(await(result).data()).isEqualTo(Map.of("hello", "world"));
    }
}

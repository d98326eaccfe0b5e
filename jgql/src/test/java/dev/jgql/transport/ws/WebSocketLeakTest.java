package dev.jgql.transport.ws;

import dev.jgql.TestEngines;
import dev.jgql.Client;
import dev.jgql.Gql;
import dev.jgql.Session;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.RecordingSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.jgql.transport.ws.WsTesting.WAIT;
import static dev.jgql.transport.ws.WsTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** After closing, no jgql-ws thread and no HttpClient selector thread of ours remains. */
@Timeout(60)
class WebSocketLeakTest {

    @Test
    void closingReleasesEveryThread() {
        Set<String> before = selectorThreads();
        try (CountriesServer server = CountriesServer.start(0)) {
            Client client = Client.builder().transport(TestEngines.ws(server.webSocketUri()).build()).build();
            for (int round = 0; round < 3; round++) {
                try (Session session = client.connect()) {
                    assertThat(session.execute(Gql.gql("{ counter }"))).containsKey("counter");
                    RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
                    session.subscribe(Gql.gql("subscription { countdown(from: 2) }")).subscribe(events);
                    events.awaitTermination(WAIT);
                    assertThat(threadNames()).anyMatch(name -> name.startsWith("jgql-ws-"));
                }
            }
            // a failed connect releases its threads too
            Client wrong = Client.builder().transport(TestEngines.ws(
                    server.webSocketUri().resolve("/nowhere")).build()).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(wrong::connect).isNotNull();
        }
        eventually(() -> threadNames().stream().noneMatch(name -> name.startsWith("jgql-ws-") || name.startsWith("jgql-vertx")),
                "no jgql-ws or jgql-vertx thread");
        eventually(() -> {
            System.gc(); // JDK 17's HttpClient stops its selector thread once the client is collected
            return before.containsAll(selectorThreads());
        }, "no new HttpClient selector thread; left: " + selectorThreads());
        assertThat(threadNames()).noneMatch(name -> name.startsWith("jgql-scheduler"));
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static Set<String> selectorThreads() {
        return threadNames().stream().filter(name -> name.startsWith("HttpClient-") && name.endsWith("SelectorManager"))
                .collect(Collectors.toSet());
    }
}

package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketProtocol;
import dev.jgql.transport.ws.WebSocketTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void theSchemePicksTheTransport() {
        assertThat(Endpoint.parse("http://h:1/graphql", Endpoint.Choice.AUTO).kind()).isEqualTo(Endpoint.Kind.HTTP);
        assertThat(Endpoint.parse("HTTPS://h/graphql", Endpoint.Choice.AUTO).kind()).isEqualTo(Endpoint.Kind.HTTP);
        assertThat(Endpoint.parse("ws://h:1/graphql", Endpoint.Choice.AUTO).kind()).isEqualTo(Endpoint.Kind.WEBSOCKET);
        assertThat(Endpoint.parse("wss://h/graphql", Endpoint.Choice.AUTO).kind()).isEqualTo(Endpoint.Kind.WEBSOCKET);
    }

    @Test
    void theOverrideSwitchesTheSchemeAndKeepsTheRest() {
        Endpoint ws = Endpoint.parse("https://user@h:8443/api/graphql?x=1", Endpoint.Choice.WS);
        Endpoint http = Endpoint.parse("ws://h:1/graphql", Endpoint.Choice.HTTP);

        assertThat(ws.uri()).hasToString("wss://user@h:8443/api/graphql?x=1");
        assertThat(ws.display()).isEqualTo("h:8443/api/graphql");
        assertThat(http.uri()).hasToString("http://h:1/graphql");
        assertThat(http.kind()).isEqualTo(Endpoint.Kind.HTTP);
    }

    @Test
    void anythingElseIsAUsageError() {
        for (String url : List.of("ftp://h/x", "h:4000/graphql", "http:///graphql", "http://h/a b", "sse://h/graphql",
                "http+sse://h/graphql")) {
            assertThatThrownBy(() -> Endpoint.parse(url, Endpoint.Choice.AUTO)).as(url).isInstanceOf(UsageException.class);
        }
        assertThatThrownBy(() -> Endpoint.parse("http://h/graphql", Endpoint.Choice.SSE))
                .hasMessage(Endpoint.NO_SSE);
    }

    @Test
    void headersAreNameColonValue() {
        assertThat(Endpoint.parseHeaders(List.of("A: 1", "B:2:3", "a: x", "Empty:")))
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "2:3"), Map.entry("a", "x"), Map.entry("Empty", ""));
        for (String bad : List.of("novalue", ": v", "Bad Name: v", "(x): v")) {
            assertThatThrownBy(() -> Endpoint.parseHeaders(List.of(bad))).as(bad).isInstanceOf(UsageException.class);
        }
    }

    @Test
    void buildsTheTransportOfItsKind() {
        Duration timeout = Duration.ofSeconds(3);

        assertThat(Endpoint.parse("http://h/graphql", Endpoint.Choice.AUTO)
                .transport(Map.of("A", "1"), Engine.JDK, null, timeout)).isInstanceOf(HttpTransport.class);
        WebSocketTransport ws = (WebSocketTransport) Endpoint.parse("ws://h/graphql", Endpoint.Choice.AUTO)
                .transport(Map.of(), Engine.JDK, WebSocketProtocol.GRAPHQL_WS, timeout);
        assertThat(ws.protocol()).isEqualTo(WebSocketProtocol.GRAPHQL_WS);
        assertThatThrownBy(() -> Endpoint.parse("ws://h/graphql", Endpoint.Choice.AUTO)
                .transport(Map.of("Sec-WebSocket-Protocol", "x"), Engine.JDK, null, timeout))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void engineNamesAreCaseInsensitive() {
        assertThat(Engine.named("JDK")).isEqualTo(Engine.JDK);
        assertThat(Engine.named("VertX")).isEqualTo(Engine.VERTX);
        assertThat(Engine.Names.list()).isEqualTo("jdk, vertx");
        assertThatThrownBy(() -> Engine.named("netty")).isInstanceOf(UsageException.class)
                .hasMessageContaining("Unknown engine 'netty'").hasMessageContaining("jdk, vertx");
    }
}

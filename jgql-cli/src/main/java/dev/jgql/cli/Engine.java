package dev.jgql.cli;

import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import dev.jgql.vertx.VertxEngine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The byte layer under the transports, chosen with {@code --engine}. Each engine says how it
 * configures the HTTP and the WebSocket transport builders; another engine is one more constant
 * here (its name and two builder hooks), nothing else in the CLI changes.
 */
enum Engine {
    /** The JDK's {@code java.net.http} client: jgql's default, nothing to configure. */
    JDK("jdk", http -> http, ws -> ws),
    /** Vert.x 5 on Netty ({@code jgql-vertx}): a Vert.x of its own per transport, closed with it. */
    VERTX("vertx", http -> http.engine(VertxEngine.create()), ws -> ws.engine(VertxEngine.create()));

    private final String optionValue;
    private final UnaryOperator<HttpTransport.Builder> http;
    private final UnaryOperator<WebSocketTransport.Builder> webSocket;

    Engine(String optionValue, UnaryOperator<HttpTransport.Builder> http,
            UnaryOperator<WebSocketTransport.Builder> webSocket) {
        this.optionValue = optionValue;
        this.http = http;
        this.webSocket = webSocket;
    }

    HttpTransport.Builder configure(HttpTransport.Builder builder) {
        return http.apply(builder);
    }

    WebSocketTransport.Builder configure(WebSocketTransport.Builder builder) {
        return webSocket.apply(builder);
    }

    /** The engine named on the command line, case-insensitively. */
    static Engine named(String value) {
        String wanted = value.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(engine -> engine.optionValue.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new UsageException("Unknown engine '" + value + "': choose one of " + Names.list()));
    }

    @Override
    public String toString() {
        return optionValue;
    }

    /** The option values, for picocli's help and completion. */
    static final class Names implements Iterable<String> {
        static String list() {
            return String.join(", ", new Names());
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(Engine::toString).iterator();
        }
    }
}

package dev.jgql.engine;

/**
 * What puts bytes on the wire for the transports: it makes an {@link HttpEngine} for each HTTP
 * connection and a {@link WebSocketEngine} for each WebSocket connection. The GraphQL rules (how
 * a response is classified, the WebSocket protocols, retries) live above it in the transports and
 * are the same whatever the engine.
 *
 * <p>jgql ships {@link JdkEngine} (the default: the JDK's {@code java.net.http}, no extra
 * dependency) and, in the {@code jgql-vertx} module, an engine on Vert.x 5.
 *
 * <pre>{@code
 * HttpTransport http = HttpTransport.builder(URI.create("https://host/graphql"))
 *     .engine(JdkEngine.create())     // the default; e.g. VertxEngine.create() from jgql-vertx
 *     .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe. Each engine they make is owned by one connection, which
 * closes it when it closes; whatever the engine shares between connections (an event loop, a
 * client of the application's) it must release only when nothing uses it any more, and never
 * close what the application gave it.
 */
public interface Engine {

    /**
     * Makes the HTTP engine of one connection.
     *
     * @param settings what the transport asks for: timeouts, TLS, HTTP version
     * @return a new engine, owned by the caller, who closes it
     */
    HttpEngine newHttpEngine(EngineSettings settings);

    /**
     * Makes the WebSocket engine of one connection.
     *
     * @param settings what the transport asks for: timeouts, TLS
     * @return a new engine, owned by the caller, who closes it
     */
    WebSocketEngine newWebSocketEngine(EngineSettings settings);
}

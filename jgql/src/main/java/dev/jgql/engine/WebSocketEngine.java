package dev.jgql.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Opens WebSockets for one connection of a WebSocket transport: frames on the wire, nothing of
 * GraphQL (both GraphQL-over-WebSocket protocols live above it). Made by
 * {@link Engine#newWebSocketEngine}, owned and closed by that connection.
 *
 * <pre>{@code
 * WebSocketEngine engine = JdkEngine.create().newWebSocketEngine(EngineSettings.defaults());
 * EngineWebSocket socket = engine.open(WebSocketEngineRequest.builder(uri)
 *         .subprotocols(List.of("graphql-transport-ws"))
 *         .build(), listener).join();
 * }</pre>
 */
public interface WebSocketEngine {

    /**
     * Opens a WebSocket. The future completes once the handshake succeeded, before any message is
     * delivered to the listener; or exceptionally with {@link UpgradeRejectedException} (the
     * server answered the upgrade with another status, or with a subprotocol that was not
     * offered), {@link java.net.http.HttpConnectTimeoutException} (no handshake within the
     * request's connect timeout) or the I/O failure, in the JDK's vocabulary as on
     * {@link HttpEngine}.
     *
     * @param request  where to connect and what to offer
     * @param listener receives the socket's messages and its end, one call at a time
     * @return the open socket
     */
    CompletableFuture<EngineWebSocket> open(WebSocketEngineRequest request, EngineWebSocket.Listener listener);

    /**
     * Releases the engine's threads and clients; sockets still open are aborted. Idempotent.
     *
     * @return completes when everything is released, within a bounded time
     */
    CompletableFuture<Void> close();
}

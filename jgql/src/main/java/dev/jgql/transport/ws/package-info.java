/**
 * GraphQL over WebSocket: {@link dev.jgql.transport.ws.WebSocketTransport} on the JDK's
 * {@link java.net.http.WebSocket}, speaking {@code graphql-transport-ws} or the legacy
 * {@code graphql-ws} protocol ({@link dev.jgql.transport.ws.WebSocketProtocol}). How a link ends
 * is told by {@link dev.jgql.transport.ws.WebSocketClosedException} (close code, reason, whether a
 * retry can help); a subscriber that falls behind its buffer gets
 * {@link dev.jgql.transport.ws.SubscriptionBufferOverflowException}.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(WebSocketTransport.builder(URI.create("wss://host/graphql")).build())
 *     .build();
 * }</pre>
 */
package dev.jgql.transport.ws;

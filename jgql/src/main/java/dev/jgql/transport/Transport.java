package dev.jgql.transport;

import java.util.concurrent.CompletableFuture;

/**
 * A way to reach a GraphQL server: the configuration of one endpoint, immutable and shareable.
 * Each {@link #connect} opens a new, independent {@link TransportConnection}; sessions open one
 * when they start and a reconnecting session opens a new one each time it reconnects.
 *
 * <pre>{@code
 * Transport http = HttpTransport.builder(URI.create("https://host/graphql")).build();
 * Client client = Client.builder().transport(http).build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must not block in {@code connect}.
 */
public interface Transport {

    /**
     * Opens a new link. The future completes when the link is ready to carry operations (for a
     * WebSocket: after the protocol's acknowledgement), or completes exceptionally with a
     * {@link dev.jgql.TransportException}: usually a
     * {@link dev.jgql.TransportConnectionFailedException} (refused, handshake failed, no
     * acknowledgement in time) or a {@link dev.jgql.TransportServerException} (the server refused
     * the connection with a status or close code).
     *
     * @param context the scheduler, clock and JSON mapper of the client that connects
     */
    CompletableFuture<TransportConnection> connect(TransportContext context);

    /**
     * Opens a link again after {@code broken} failed; the permanent session calls this, under its
     * connect policy, instead of {@link #connect} once a link has been up. The transport takes
     * {@code broken} over: it may close it and open a new link (the default), or, for a transport
     * without a link of its own (HTTP), check that the server is reachable again and hand the same
     * connection back, so that requests still in flight on it are not cut off.
     *
     * <pre>{@code
     * CompletableFuture<TransportConnection> again = transport.reconnect(broken, context);
     * }</pre>
     *
     * @param broken  the connection that failed, possibly already closed
     * @param context as for {@link #connect}
     * @return the link to use now; see {@link #connect} for how it fails
     */
    default CompletableFuture<TransportConnection> reconnect(TransportConnection broken, TransportContext context) {
        broken.close();
        return connect(context);
    }
}

package dev.jgql.transport;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One open link to a GraphQL server, made by {@link Transport#connect}. Thread-safe: any number of
 * operations may run on it at once. Sessions use it; applications normally do not.
 *
 * <h2>How a result ends</h2>
 * The future of {@link #execute} completes
 * <ul>
 *   <li>normally with the server's {@link ExecutionResult}, <em>including</em> one that carries
 *       GraphQL errors (sessions turn those into {@link dev.jgql.TransportQueryException});
 *   <li>exceptionally with {@link dev.jgql.TransportServerException} (an HTTP error that is not a
 *       GraphQL response), {@link dev.jgql.TransportProtocolException} (an answer that breaks the
 *       protocol), {@link dev.jgql.TransportConnectionFailedException} (the link failed; it says
 *       whether the request may have been sent) or {@link TransportClosedException} (the link was
 *       closed before an answer came).
 * </ul>
 * Cancelling the future abandons the request (and, where the protocol allows, tells the server).
 *
 * <h2>How a stream ends</h2>
 * The publisher of {@link #subscribe} emits one {@link ExecutionResult} per event, in order, and
 * honours {@code request(n)}. It ends with exactly one of: {@code onComplete} (the server finished
 * the stream); {@code onError} with {@link dev.jgql.TransportQueryException} (the server refused or
 * ended the operation with errors), {@link TransportClosedException} or its subclass (the link
 * closed or broke), {@link dev.jgql.TransportProtocolException}, or
 * {@link dev.jgql.JgqlUsageException} (the transport cannot stream). Cancelling the
 * subscription stops the operation on the server. Nothing is sent before the first
 * {@code subscribe} of a subscriber.
 *
 * <pre>{@code
 * TransportConnection connection = transport.connect(context).join();
 * ExecutionResult result = connection.execute(request).join();
 * connection.close().join();
 * }</pre>
 */
public interface TransportConnection {

    /** Sends a query or mutation and returns its single answer. See the class comment for how it ends. */
    CompletableFuture<ExecutionResult> execute(GraphQLRequest request);

    /**
     * Sends a call: its request, with what the call's options ask of the transport (extra headers
     * for HTTP-based transports). Sessions call this one. Default: {@link #execute(GraphQLRequest)}
     * of the call's request, for transports that need nothing from the options.
     *
     * @param call the call
     * @return its single answer, as {@link #execute(GraphQLRequest)}
     */
    default CompletableFuture<ExecutionResult> execute(GraphQLCall call) {
        return execute(call.request());
    }

    /** Starts a subscription (or any operation) as a stream of results. See the class comment. */
    Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request);

    /**
     * Starts a subscription for a call; sessions call this one. Default:
     * {@link #subscribe(GraphQLRequest)} of the call's request.
     *
     * @param call the call
     * @return its events, as {@link #subscribe(GraphQLRequest)}
     */
    default Flow.Publisher<ExecutionResult> subscribe(GraphQLCall call) {
        return subscribe(call.request());
    }

    /**
     * A call on this connection got no answer within its timeout and was cancelled: the link may
     * be dead without having said so (a half-open TCP connection, pooled sockets silenced by an
     * outage). HTTP discards its pooled connections; a WebSocket checks at once that its peer still
     * answers pings. Default: nothing.
     *
     * @param call the call that timed out
     */
    default void timedOut(GraphQLCall call) {
    }

    /**
     * Completes once, when the link has ended, with the reason: a {@link TransportClosedException}
     * saying it was closed by the client, or a subclass saying how it failed. Never completes
     * exceptionally.
     */
    CompletionStage<TransportClosedException> whenClosed();

    /**
     * Whether opening this connection proved nothing about the server, because there is no link
     * of its own (HTTP opens sockets per request). Default {@code false}.
     *
     * @return whether the connection has no link of its own
     * @deprecated sessions no longer look at this: a transport that needs to learn reachability
     *             does it in {@link Transport#reconnect}. Goes in the release after next.
     */
    @Deprecated
    default boolean needsProbe() {
        return false;
    }

    /** Whether the link can still carry operations. */
    boolean isOpen();

    /**
     * Closes the link: pending operations end with {@link TransportClosedException}, resources are
     * released. Idempotent; the future completes when everything is released, within a bounded time.
     */
    CompletableFuture<Void> close();
}

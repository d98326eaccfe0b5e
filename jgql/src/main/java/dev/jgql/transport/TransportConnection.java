package dev.jgql.transport;

import dev.jgql.ExecutionResult;
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
 * {@link UnsupportedOperationException} (the transport cannot stream). Cancelling the
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

    /** Starts a subscription (or any operation) as a stream of results. See the class comment. */
    Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request);

    /**
     * Completes once, when the link has ended, with the reason: a {@link TransportClosedException}
     * saying it was closed by the client, or a subclass saying how it failed. Never completes
     * exceptionally.
     */
    CompletionStage<TransportClosedException> whenClosed();

    /**
     * Whether opening this connection proved nothing about the server, because there is no link
     * of its own (HTTP opens sockets per request). A session that must know the server is
     * reachable, such as a reconnecting one, then sends a probe request. Default {@code false}:
     * a connection that completed {@link Transport#connect} is talking to its server.
     */
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

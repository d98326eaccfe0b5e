package dev.jgql.transport.ws;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;

import java.util.concurrent.CompletableFuture;

/**
 * One operation on a connection: a single-result {@code execute} (with a future) or a stream
 * (with a subscription). Its mutable fields are guarded by the connection's lock.
 */
final class Operation {
    final GraphQLRequest request;
    final CompletableFuture<ExecutionResult> future;
    final StreamSubscription stream;

    /** The operation id on this socket; set when the operation starts. */
    String id;
    /** Whether its subscribe/start message was handed to the socket: after that, the server may have it. */
    boolean handed;
    /** Whether it ended (answered, failed, cancelled): later messages for its id are ignored. */
    boolean finished;

    private Operation(GraphQLRequest request, CompletableFuture<ExecutionResult> future, StreamSubscription stream) {
        this.request = request;
        this.future = future;
        this.stream = stream;
    }

    static Operation single(GraphQLRequest request) {
        return new Operation(request, new CompletableFuture<>(), null);
    }

    static Operation stream(GraphQLRequest request, StreamSubscription stream) {
        return new Operation(request, null, stream);
    }

    @Override
    public String toString() {
        return "operation " + id + " (" + request + ")";
    }
}

package dev.jgql.transport.ws;

import dev.jgql.transport.support.IncrementalMerge;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.transport.support.StreamSubscription;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One operation on a connection: a single-result {@code execute} (with a future) or a stream
 * (with a subscription). Its phase changes without a lock, so that the outbox (which hands its
 * start message to the socket) and whoever ends it (an answer, a cancel, the link's end) agree on
 * one fact: whether the server may have it.
 */
final class Operation {
    private static final int QUEUED = 0;
    private static final int HANDED = 1;
    private static final int FINISHED = 2;
    private static final int FINISHED_AFTER_HANDED = 3;

    final GraphQLRequest request;
    final CompletableFuture<ExecutionResult> future;
    final StreamSubscription stream;
    private final AtomicInteger phase = new AtomicInteger(QUEUED);

    /**
     * The merge of an incremental ({@code @defer}/{@code @stream}) answer, made by its first
     * payload; touched only by the socket's listener, one message at a time.
     */
    IncrementalMerge merge;

    /** The operation id on this socket; set, under the connection's lock, when the operation starts. */
    volatile String id;

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

    /** Its start message is being handed to the socket: from now on the server may have it. False if it already ended. */
    boolean markHanded() {
        return phase.compareAndSet(QUEUED, HANDED);
    }

    /** Ends it; false if it had already ended (then nothing may be signalled for it again). */
    boolean finish() {
        while (true) {
            int current = phase.get();
            if (current >= FINISHED) {
                return false;
            }
            if (phase.compareAndSet(current, current == HANDED ? FINISHED_AFTER_HANDED : FINISHED)) {
                return true;
            }
        }
    }

    /** Whether its start message was handed to the socket: the server may have received it. */
    boolean wasHanded() {
        int current = phase.get();
        return current == HANDED || current == FINISHED_AFTER_HANDED;
    }

    boolean isFinished() {
        return phase.get() >= FINISHED;
    }

    @Override
    public String toString() {
        return "operation " + id + " (" + request + ")";
    }
}

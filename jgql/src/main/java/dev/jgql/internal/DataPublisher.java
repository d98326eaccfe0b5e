package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.TransportQueryException;

import java.util.Map;
import java.util.concurrent.Flow;

/**
 * Publishes each event's {@code data}; an event with GraphQL errors cancels the upstream (which
 * stops the operation on the server) and ends the stream with {@link TransportQueryException}.
 * One event in, at most one out, so demand passes through unchanged.
 */
public final class DataPublisher extends MappingPublisher<ExecutionResult, Map<String, Object>> {

    public DataPublisher(Flow.Publisher<ExecutionResult> upstream) {
        super(upstream, DataPublisher::dataOf);
    }

    private static Map<String, Object> dataOf(ExecutionResult result) {
        if (result.hasErrors()) {
            throw new TransportQueryException(result);
        }
        return result.data();
    }
}

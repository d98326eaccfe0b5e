package dev.jgql.internal;

import dev.jgql.AsyncSession;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;

import java.util.Map;
import java.util.concurrent.Flow;

/** The blocking view of an {@link AsyncSession}: waits for each future and rethrows its failure unwrapped. */
public final class BlockingSession implements Session {
    private final AsyncSession async;

    public BlockingSession(AsyncSession async) {
        this.async = async;
    }

    @Override
    public Map<String, Object> execute(GraphQLRequest request) {
        return Futures.await(async.execute(request));
    }

    @Override
    public ExecutionResult executeForResult(GraphQLRequest request) {
        return Futures.await(async.executeForResult(request));
    }

    @Override
    public Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request) {
        return async.subscribe(request);
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request) {
        return async.subscribeForResults(request);
    }

    @Override
    public AsyncSession async() {
        return async;
    }

    @Override
    public void close() {
        Futures.await(async.closeAsync());
    }
}

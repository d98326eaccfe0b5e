package dev.jgql.internal;

import dev.jgql.AsyncSession;
import dev.jgql.CallOptions;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.Flow;

/**
 * The blocking view of an {@link AsyncSession}: waits for each future and rethrows its failure
 * unwrapped. The view of the permanent session does not close it, so that a try-with-resources
 * around the view cannot end the application's session by accident.
 */
public final class BlockingSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingSession.class);

    private final AsyncSession async;
    private final boolean closesSession;

    public BlockingSession(AsyncSession async, boolean closesSession) {
        this.async = async;
        this.closesSession = closesSession;
    }

    @Override
    public Map<String, Object> execute(GraphQLRequest request) {
        return BlockingCaller.await(() -> async.execute(request));
    }

    @Override
    public Map<String, Object> execute(GraphQLRequest request, CallOptions options) {
        return BlockingCaller.await(() -> async.execute(request, options));
    }

    @Override
    public ExecutionResult executeForResult(GraphQLRequest request) {
        return BlockingCaller.await(() -> async.executeForResult(request));
    }

    @Override
    public ExecutionResult executeForResult(GraphQLRequest request, CallOptions options) {
        return BlockingCaller.await(() -> async.executeForResult(request, options));
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
        if (closesSession) {
            Futures.await(async.closeAsync());
        } else {
            LOG.debug("Closing the blocking view of the permanent session leaves the session open; "
                    + "close it with client.closeAsync()");
        }
    }
}

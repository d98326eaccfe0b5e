package dev.jgql.internal;

import dev.jgql.AsyncSession;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/** A plain session: one transport connection, used until closed; no reconnect, no retry. */
public final class ConnectedSession implements AsyncSession {
    private final TransportConnection connection;
    private final TransportContext context;
    private final Duration executeTimeout;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    public ConnectedSession(TransportConnection connection, TransportContext context, Duration executeTimeout,
            Runnable onClosed) {
        this.connection = connection;
        this.context = context;
        this.executeTimeout = executeTimeout;
        this.onClosed = onClosed;
    }

    @Override
    public CompletableFuture<Map<String, Object>> execute(GraphQLRequest request) {
        return Futures.dataOf(executeForResult(request));
    }

    @Override
    public CompletableFuture<ExecutionResult> executeForResult(GraphQLRequest request) {
        Checks.executable(request);
        if (closed.get()) {
            return CompletableFuture.failedFuture(new TransportClosedException("The session is closed; open a new one"));
        }
        return Futures.within(connection.execute(request), executeTimeout, context.scheduler(),
                () -> new TransportTimeoutException("No answer to " + request + " within the execute timeout of "
                        + executeTimeout.toMillis() + " ms; the request was cancelled and may have been applied",
                        executeTimeout));
    }

    @Override
    public Flow.Publisher<Map<String, Object>> subscribe(GraphQLRequest request) {
        return new DataPublisher(subscribeForResults(request));
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribeForResults(GraphQLRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed.get()) {
            return FailedPublisher.of(new TransportClosedException("The session is closed; open a new one"));
        }
        return connection.subscribe(request);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (closed.compareAndSet(false, true)) {
            connection.close().whenComplete((ignored, failure) -> {
                onClosed.run();
                closing.complete(null);
            });
        }
        return closing;
    }
}

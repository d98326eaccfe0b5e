package dev.jgql.transport.local;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.JgqlUsageException;
import dev.jgql.OperationType;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import graphql.ExecutionInput;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One "link" of a {@link LocalSchemaTransport}: it only ends when closed. Keeps the calls and
 * streams in flight, so that closing ends them as the SPI says.
 */
final class LocalSchemaConnection implements TransportConnection {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private final LocalSchemaTransport transport;
    private final TransportContext context;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final Set<LocalStream> streams = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();

    LocalSchemaConnection(LocalSchemaTransport transport, TransportContext context) {
        this.transport = transport;
        this.context = context;
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        if (request.operationType() == OperationType.SUBSCRIPTION) {
            return CompletableFuture.failedFuture(new JgqlUsageException("execute runs queries and mutations; use "
                    + "subscribe for the " + what(request)));
        }
        if (!open.get()) {
            return CompletableFuture.failedFuture(new TransportConnectionFailedException("The local schema connection is "
                    + "closed; the " + what(request) + " was not run", false, null));
        }
        Call call = new Call(request);
        calls.add(call);
        call.whenComplete((result, failure) -> calls.remove(call));
        if (!open.get()) {
            // close() may have swept the calls just before this one joined them
            call.completeExceptionally(closedInFlight(request));
            return call;
        }
        start(request, () -> {
            if (call.isDone()) {
                return; // cancelled, or the connection closed, before it started
            }
            ExecutionInput input = input(request);
            call.running(input);
            transport.graphQL.executeAsync(input).whenComplete((result, failure) -> {
                if (failure != null) {
                    call.completeExceptionally(executionFailed(request, failure));
                } else {
                    call.complete(toResult(result, request));
                }
            });
        }, call::completeExceptionally);
        return call;
    }

    /** Runs the start of an operation on the transport's executor; what it throws goes to {@code failed}. */
    private void start(GraphQLRequest request, Runnable start, Consumer<Throwable> failed) {
        try {
            transport.executor.execute(() -> {
                try {
                    start.run();
                } catch (RuntimeException | Error e) {
                    failed.accept(e instanceof JgqlException ? e : executionFailed(request, e));
                }
            });
        } catch (RejectedExecutionException e) {
            failed.accept(new TransportConnectionFailedException("The executor of the local schema transport refused the "
                    + what(request) + "; it was not run", false, e));
        }
    }

    /** The graphql-java input of a request: its document, operation, variables and extensions, then the customiser's. */
    ExecutionInput input(GraphQLRequest request) {
        ExecutionInput.Builder input = ExecutionInput.newExecutionInput(request.document())
                .variables(asJson(request.variables(), request, "variables"))
                .extensions(asJson(request.extensions(), request, "extensions"));
        request.operationName().ifPresent(input::operationName);
        transport.executionInput.accept(request, input);
        return input.build();
    }

    /** What a server would receive: the values as the client's mapper writes them as JSON. */
    private Map<String, Object> asJson(Map<String, Object> values, GraphQLRequest request, String what) {
        if (values.isEmpty()) {
            return Map.of();
        }
        try {
            return context.objectMapper().convertValue(values, OBJECT);
        } catch (IllegalArgumentException e) {
            throw new TransportException("Could not serialise the " + what + " of the " + what(request) + " to JSON: "
                    + e.getMessage() + "; nothing was run", e);
        }
    }

    static ExecutionResult toResult(graphql.ExecutionResult result, GraphQLRequest request) {
        // toSpecification is the response as a server sends it: data only when present, errors with
        // locations, paths and extensions.
        return GraphQLJson.toResult(result.toSpecification(), () -> "The local result of the " + what(request)).build();
    }

    /** "query Continent", "anonymous mutation": the operation, for messages (never its variables). */
    static String what(GraphQLRequest request) {
        String type = request.operationType().name().toLowerCase(java.util.Locale.ROOT);
        return request.selectedOperationName().map(name -> type + " " + name).orElse("anonymous " + type);
    }

    /** An exception that escaped graphql-java: the schema's "server" failed. */
    static TransportException executionFailed(GraphQLRequest request, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new ExecutionFailedException("The local schema failed to execute the " + what(request) + ": " + cause, cause);
    }

    /** An exception escaped graphql-java's execution; the same operation on the same schema fails the same way. */
    static final class ExecutionFailedException extends TransportException {
        private static final long serialVersionUID = 1L;

        ExecutionFailedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    static TransportClosedException closedInFlight(GraphQLRequest request) {
        return new TransportClosedException("The local schema connection was closed by the client while the "
                + what(request) + " was running; it may have been applied");
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        return subscriber -> {
            java.util.Objects.requireNonNull(subscriber, "subscriber");
            LocalStream stream = new LocalStream(this, request, subscriber);
            streams.add(stream);
            stream.open();
            if (!open.get()) {
                stream.closed(closedByClient());
            }
        };
    }

    /** Starts a stream's operation; called at the subscriber's first request. */
    void start(LocalStream stream) {
        GraphQLRequest request = stream.request();
        if (!open.get()) {
            stream.fail(closedByClient()); // subscribed after close: nothing runs
            return;
        }
        start(request, () -> {
            ExecutionInput input = input(request);
            stream.running(input);
            transport.graphQL.executeAsync(input).whenComplete((result, failure) -> {
                if (failure != null) {
                    stream.fail(executionFailed(request, failure));
                } else if (result.getData() instanceof org.reactivestreams.Publisher<?> events) {
                    stream.events(events);
                } else if (!result.getErrors().isEmpty()) {
                    stream.fail(new TransportQueryException(toResult(result, request)));
                } else {
                    stream.single(toResult(result, request));
                }
            });
        }, stream::fail);
    }

    void ended(LocalStream stream) {
        streams.remove(stream);
    }

    /** The result of a source stream that failed, as a server reports it: one error with the exception's message. */
    static TransportQueryException sourceFailed(GraphQLRequest request, Throwable failure) {
        ExecutionResult result = ExecutionResult.builder()
                .errors(List.of(new GraphQLError(String.valueOf(failure.getMessage()), null, null,
                        Map.of("exception", failure.getClass().getName()))))
                .build();
        TransportQueryException error = new TransportQueryException(result);
        error.initCause(failure);
        return error;
    }

    @Override
    public CompletionStage<TransportClosedException> whenClosed() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public CompletableFuture<Void> close() {
        if (open.compareAndSet(true, false)) {
            for (Call call : calls) {
                call.end(closedInFlight(call.request()));
            }
            TransportClosedException reason = closedByClient();
            for (LocalStream stream : streams) {
                stream.closed(reason);
            }
            closed.complete(reason);
        }
        return CompletableFuture.completedFuture(null);
    }

    private static TransportClosedException closedByClient() {
        return new TransportClosedException("The local schema connection was closed by the client");
    }

    /** The future of one execute; cancelling it cancels graphql-java's execution. */
    private static final class Call extends CompletableFuture<ExecutionResult> {
        private final GraphQLRequest request;
        private volatile ExecutionInput input;

        Call(GraphQLRequest request) {
            this.request = request;
        }

        void running(ExecutionInput running) {
            input = running;
            if (isDone()) {
                running.cancel();
            }
        }

        GraphQLRequest request() {
            return request;
        }

        /** Ends the call with {@code failure} and stops graphql-java's execution of it. */
        void end(Throwable failure) {
            completeExceptionally(failure);
            stopExecution();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            stopExecution();
            return cancelled;
        }

        private void stopExecution() {
            ExecutionInput running = input;
            if (running != null) {
                running.cancel();
            }
        }
    }
}

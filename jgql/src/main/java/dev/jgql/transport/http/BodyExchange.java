package dev.jgql.transport.http;

import dev.jgql.ExecutionResult;
import dev.jgql.TransportException;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.Futures;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One POST of a batch or an upload on a connection's engine, its answer read by the caller's rule;
 * cancelling the future cancels the exchange.
 */
final class BodyExchange {
    private BodyExchange() {
    }

    /**
     * @param read          turns the response into the call's result, or throws why not
     * @param sourceFailure why the request body could not be produced, if it could not (else null):
     *                      it says more than the engine's failure it caused
     */
    static CompletableFuture<ExecutionResult> send(HttpConnection connection, HttpEngineRequest request,
            Function<HttpEngineResponse, ExecutionResult> read, Supplier<TransportException> sourceFailure) {
        CompletableFuture<HttpEngineResponse> exchange = connection.engine().execute(request);
        CompletableFuture<ExecutionResult> answer = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                exchange.cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                TransportException unreadable = sourceFailure.get();
                answer.completeExceptionally(unreadable != null ? unreadable
                        : connection.failureOf(Futures.unwrap(failure)));
                return;
            }
            try {
                answer.complete(read.apply(response));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }
}

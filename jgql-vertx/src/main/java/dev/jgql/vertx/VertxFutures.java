package dev.jgql.vertx;

import io.vertx.core.Future;

import java.util.concurrent.CompletableFuture;

/** Vert.x futures seen as {@link CompletableFuture}s, completed on the thread that completes the Vert.x one. */
final class VertxFutures {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private VertxFutures() {
    }

    static CompletableFuture<Void> toCompletable(Future<?> future) {
        if (future.succeeded()) {
            return DONE;
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        future.onComplete(ignored -> result.complete(null), failure -> result.completeExceptionally(failure));
        return result;
    }

    /** As {@link #toCompletable}, with the failure in the JDK's vocabulary. */
    static CompletableFuture<Void> toCompletableIo(Future<?> future) {
        if (future.succeeded()) {
            return DONE;
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        future.onComplete(ignored -> result.complete(null),
                failure -> result.completeExceptionally(VertxFailures.exchange(failure)));
        return result;
    }
}

package dev.jgql.fuzz;

import dev.jgql.JgqlException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule the property and chaos tests check of every operation: it ends in time (nothing hangs),
 * with a result or with jgql's own exception (nothing else escapes). Free of jqwik, so that plain
 * tests use it on every engine's run.
 */
public final class Outcomes {
    private Outcomes() {
    }

    /**
     * The operation ends within {@code seconds} (nothing hangs), with a result or with jgql's own
     * exception (nothing else escapes).
     *
     * @return the result, or {@code null} if it failed with a {@link JgqlException}
     */
    public static <T> T endsWithResultOrJgqlException(CompletableFuture<T> operation, int seconds) {
        try {
            T result = operation.get(seconds, TimeUnit.SECONDS);
            assertThat(result).as("a result, if no failure").isNotNull();
            return result;
        } catch (ExecutionException | CompletionException e) {
            assertJgqlOwn(e.getCause());
            return null;
        } catch (TimeoutException e) {
            throw new AssertionError("The operation did not end within " + seconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A failure that reached the caller is one of jgql's, with a message. */
    public static void assertJgqlOwn(Throwable failure) {
        assertThat(failure).as("only jgql's own exceptions escape").isInstanceOf(JgqlException.class);
        assertThat(failure.getMessage()).as("and they say what happened").isNotBlank();
    }
}

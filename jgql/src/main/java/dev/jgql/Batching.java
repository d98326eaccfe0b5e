package dev.jgql;

import dev.jgql.internal.Checks;

import java.time.Duration;
import java.util.Objects;

/**
 * Automatic batching: the queries and mutations that callers start within a short interval go to
 * the server together, as one HTTP request carrying a JSON array (gql's {@code batch_interval} and
 * {@code batch_max}); each caller still gets its own future, and a result with errors fails only
 * its own call. Turn it on with {@link Client.Builder#batching}; the server must accept batches
 * (Apollo Server: {@code allowBatchedHttpRequests}, Yoga: {@code batching}, Vert.x:
 * {@code setRequestBatchingEnabled}), else every call fails with a message that says so. A batch is
 * retried as a whole, and a batch holding a mutation follows the rules for mutations. Only over
 * HTTP; other transports send each call on its own. Immutable.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(http)
 *     .batching(Batching.of(Duration.ofMillis(10), 10))
 *     .build();
 * }</pre>
 */
public final class Batching {
    private final Duration interval;
    private final int maxCount;

    private Batching(Duration interval, int maxCount) {
        this.interval = interval;
        this.maxCount = maxCount;
    }

    /**
     * Batches of the calls started within {@code interval} of the first one, sent early once they
     * hold {@code maxCount} calls.
     *
     * @param interval how long the first call of a batch waits for others (gql's default: 10 ms)
     * @param maxCount the most calls in one batch, at least 2 (gql's default: 10)
     * @return the setting
     */
    public static Batching of(Duration interval, int maxCount) {
        Checks.positive(Objects.requireNonNull(interval, "interval"), "interval");
        if (maxCount < 2) {
            throw new IllegalArgumentException("maxCount must be at least 2 (a batch of one is no batch): " + maxCount);
        }
        return new Batching(interval, maxCount);
    }

    /** @return how long the first call of a batch waits for others */
    public Duration interval() {
        return interval;
    }

    /** @return the most calls in one batch */
    public int maxCount() {
        return maxCount;
    }

    @Override
    public String toString() {
        return "Batching{" + interval.toMillis() + " ms, at most " + maxCount + '}';
    }
}

package dev.jgql.transport.http;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Checks that no thread jgql started outlives its client. */
public final class LeakChecks {
    private LeakChecks() {
    }

    /**
     * JDK 17's HttpClient ends its selector thread only once the client is unreachable, so this
     * waits a bounded time, nudging the garbage collector.
     */
    public static void assertNoJgqlThreadLeft() {
        await("jgql and HttpClient threads to end").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    System.gc();
                    org.assertj.core.api.Assertions.assertThat(Thread.getAllStackTraces().keySet())
                            .extracting(Thread::getName)
                            .filteredOn(name -> name.startsWith("jgql-http") || name.startsWith("jgql-scheduler") || name.startsWith("jgql-vertx")
                                    || name.startsWith("HttpClient-"))
                            .isEmpty();
                });
    }
}

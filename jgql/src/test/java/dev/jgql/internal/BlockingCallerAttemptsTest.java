package dev.jgql.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread's {@link BlockingCaller} is reused by each of its calls, so a timeout that fires late for
 * an attempt that is over must not reach the exchange of the thread's next call.
 */
class BlockingCallerAttemptsTest {
    private final Object firstAttempt = new Object();
    private final Object secondAttempt = new Object();

    @Test
    void aLateCancelOfAnEndedAttemptLeavesTheNextExchangeAlone() {
        List<String> interrupted = new ArrayList<>();

        String answer = BlockingCaller.await(() -> {
            BlockingCaller caller = BlockingCaller.current();
            caller.arm(firstAttempt);
            assertThat(caller.claim(() -> interrupted.add("first"))).isTrue();
            caller.released();
            caller.disarm();

            caller.arm(secondAttempt);
            assertThat(caller.claim(() -> interrupted.add("second"))).isTrue();
            caller.cancelInline(firstAttempt); // the first attempt's timer, late
            assertThat(interrupted).isEmpty();

            caller.cancelInline(secondAttempt);
            assertThat(interrupted).containsExactly("second");
            return CompletableFuture.completedFuture("done");
        });

        assertThat(answer).isEqualTo("done");
    }

    @Test
    void aCancelBeforeTheExchangeStartsKeepsItOffThisThread() {
        boolean claimed = BlockingCaller.await(() -> {
            BlockingCaller caller = BlockingCaller.current();
            caller.arm(firstAttempt);
            caller.cancelInline(firstAttempt);
            return CompletableFuture.completedFuture(caller.claim(() -> { }));
        });

        assertThat(claimed).isFalse();
    }

    @Test
    void onlyAThreadThatWillBlockHasACallerAndItIsCleanAfterwards() {
        assertThat(BlockingCaller.current()).isNull();

        BlockingCaller inside = BlockingCaller.await(() -> {
            BlockingCaller.current().arm(firstAttempt);
            return CompletableFuture.completedFuture(BlockingCaller.current());
        });

        assertThat(BlockingCaller.current()).isNull();
        assertThat(inside.claim(() -> { })).as("an arming left over by the call").isFalse();
    }
}

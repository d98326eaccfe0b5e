package dev.jgql.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class FakeSchedulerTest {
    private final FakeScheduler scheduler = new FakeScheduler();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void runsDueTasksInTimeOrderWithTheClockAtTheirDueTime() {
        scheduler.schedule(() -> log.add("b@" + scheduler.clock().instant()), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("a@" + scheduler.clock().instant()), 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("c"), 5, TimeUnit.SECONDS);

        assertThat(scheduler.advance(Duration.ofSeconds(3))).isEqualTo(2);
        assertThat(log).containsExactly("a@" + FakeScheduler.EPOCH.plusSeconds(1), "b@" + FakeScheduler.EPOCH.plusSeconds(2));
        assertThat(scheduler.clock().instant()).isEqualTo(FakeScheduler.EPOCH.plusSeconds(3));
        assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(3));
        assertThat(scheduler.pendingTaskCount()).isEqualTo(1);
        assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(2));
    }

    @Test
    void tasksScheduledByTasksRunWhenDueWithinTheSameAdvance() {
        scheduler.schedule(() -> {
            log.add("first");
            scheduler.schedule(() -> log.add("second"), 1, TimeUnit.SECONDS);
            scheduler.execute(() -> log.add("now"));
        }, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(log).containsExactly("first", "now", "second");
    }

    @Test
    void zeroDelayTasksFromOtherThreadsRunAtRunDueTasks() throws Exception {
        Thread other = new Thread(() -> scheduler.execute(() -> log.add("from other thread")));
        other.start();
        other.join(5000);
        assertThat(log).isEmpty();
        assertThat(scheduler.nextDelay()).contains(Duration.ZERO);
        Future<String> submitted = scheduler.submit(() -> "value");
        assertThat(scheduler.runDueTasks()).isEqualTo(2);
        assertThat(log).containsExactly("from other thread");
        assertThat(submitted.get(1, TimeUnit.SECONDS)).isEqualTo("value");
        assertThat(scheduler.elapsed()).isZero();
    }

    @Test
    void periodicTasksRepeatAtFixedRateAndWithFixedDelay() {
        List<Instant> rate = new ArrayList<>();
        List<Instant> delay = new ArrayList<>();
        ScheduledFuture<?> fixedRate = scheduler.scheduleAtFixedRate(() -> rate.add(scheduler.clock().instant()),
                1, 2, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> delay.add(scheduler.clock().instant()), 0, 3, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(rate).containsExactly(FakeScheduler.EPOCH.plusSeconds(1), FakeScheduler.EPOCH.plusSeconds(3),
                FakeScheduler.EPOCH.plusSeconds(5));
        assertThat(delay).containsExactly(FakeScheduler.EPOCH, FakeScheduler.EPOCH.plusSeconds(3),
                FakeScheduler.EPOCH.plusSeconds(6));
        assertThat(fixedRate.cancel(false)).isTrue();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(rate).hasSize(3);
        assertThat(fixedRate.isCancelled()).isTrue();
    }

    @Test
    void cancelledTasksNeverRun() {
        ScheduledFuture<?> task = scheduler.schedule(() -> log.add("cancelled"), 1, TimeUnit.SECONDS);
        assertThat(task.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(1000);
        assertThat(task.cancel(false)).isTrue();
        assertThat(scheduler.pendingTaskCount()).isZero();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(log).isEmpty();
        assertThatThrownBy(task::get).isInstanceOf(CancellationException.class);
    }

    @Test
    void aFailingTaskReportsThroughItsFuture() {
        ScheduledFuture<Object> task = scheduler.schedule(() -> {
            throw new IllegalStateException("boom");
        }, 0, TimeUnit.SECONDS);
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
            log.add("tick");
            throw new IllegalStateException("periodic boom");
        }, 1, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(5));
        assertThatThrownBy(task::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
        assertThat(log).containsExactly("tick");
        assertThat(periodic.isDone()).isTrue();
    }

    @Test
    void getWaitsInRealTimeBoundedly() {
        ScheduledFuture<?> task = scheduler.schedule(() -> log.add("x"), 1, TimeUnit.SECONDS);
        assertThatThrownBy(() -> task.get(20, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void advanceFromInsideATaskIsRefused() {
        ScheduledFuture<?> task = scheduler.schedule(() -> scheduler.advance(Duration.ofSeconds(1)), 0, TimeUnit.SECONDS);
        scheduler.runDueTasks();
        assertThatThrownBy(task::get).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shutdownRejectsNewTasksCancelsPeriodicAndKeepsDelayed() throws InterruptedException {
        scheduler.schedule(() -> log.add("delayed"), 1, TimeUnit.SECONDS);
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> log.add("periodic"), 1, 1, TimeUnit.SECONDS);
        scheduler.shutdown();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(scheduler.isTerminated()).isFalse();
        assertThatThrownBy(() -> scheduler.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(log).containsExactly("delayed");
        assertThat(scheduler.isTerminated()).isTrue();
        assertThat(scheduler.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownNowDropsEverything() {
        scheduler.schedule(() -> log.add("never"), 1, TimeUnit.SECONDS);
        assertThat(scheduler.shutdownNow()).hasSize(1);
        assertThat(scheduler.isTerminated()).isTrue();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(log).isEmpty();
    }

    @Test
    void clockZonesAndCustomStart() {
        FakeScheduler custom = new FakeScheduler(Instant.parse("2030-05-01T10:00:00Z"));
        custom.advance(Duration.ofMillis(1500));
        assertThat(custom.clock().millis()).isEqualTo(Instant.parse("2030-05-01T10:00:01.500Z").toEpochMilli());
        assertThat(custom.clock().withZone(java.time.ZoneId.of("Europe/Paris")).instant())
                .isEqualTo(Instant.parse("2030-05-01T10:00:01.500Z"));
    }
}

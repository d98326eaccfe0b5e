package dev.jgql.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RecordingSubscriberTest {

    @Test
    void recordsItemsOnDemandAndCompletion() {
        SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(Runnable::run, 16);
        try {
            RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>(2);
            publisher.subscribe(subscriber);
            for (int i = 1; i <= 4; i++) {
                publisher.submit(i);
            }
            assertThat(subscriber.awaitItems(2, Duration.ofSeconds(5))).containsExactly(1, 2);
            assertThat(subscriber.items()).hasSize(2);
            subscriber.request(5);
            publisher.close();
            subscriber.awaitTermination(Duration.ofSeconds(5));
            assertThat(subscriber.items()).containsExactly(1, 2, 3, 4);
            assertThat(subscriber.isCompleted()).isTrue();
            assertThat(subscriber.error()).isNull();
            assertThat(subscriber.violations()).isEmpty();
            assertThat(subscriber.threads()).isNotEmpty();
        } finally {
            publisher.close(); // idempotent; the test closes it on purpose to complete the stream
        }
    }

    @Test
    void recordsAnError() {
        RecordingSubscriber<String> subscriber = new RecordingSubscriber<>();
        subscriber.onSubscribe(new NoSubscription());
        subscriber.onError(new IllegalStateException("broken"));
        assertThat(subscriber.awaitError(Duration.ofSeconds(1))).hasMessage("broken");
        assertThatThrownBy(() -> subscriber.awaitItems(1, Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("ended after 0");
    }

    @Test
    void waitsAreBoundedAndDescriptive() {
        RecordingSubscriber<String> subscriber = new RecordingSubscriber<>(1);
        subscriber.onSubscribe(new NoSubscription());
        assertThatThrownBy(() -> subscriber.awaitItems(1, Duration.ofMillis(30)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("at least 1 items");
        assertThatThrownBy(() -> subscriber.awaitTermination(Duration.ofMillis(30)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not ended");
    }

    @Test
    void recordsRuleViolations() {
        RecordingSubscriber<String> subscriber = new RecordingSubscriber<>(1);
        subscriber.onSubscribe(new NoSubscription());
        subscriber.onSubscribe(new NoSubscription());
        subscriber.onNext("requested");
        subscriber.onNext("not requested");
        subscriber.onComplete();
        subscriber.onNext("after the end");
        subscriber.onComplete();
        assertThat(subscriber.violations()).hasSize(5)
                .anyMatch(v -> v.contains("second"))
                .anyMatch(v -> v.contains("without demand"))
                .anyMatch(v -> v.contains("after the end"));
    }

    @Test
    void requestsAndCancelsBeforeTheSubscriptionArriveAreKept() {
        RecordingSubscriber<String> subscriber = new RecordingSubscriber<>();
        subscriber.request(3);
        NoSubscription subscription = new NoSubscription();
        subscriber.onSubscribe(subscription);
        assertThat(subscription.requested.get()).isEqualTo(3);
        subscriber.cancel();
        assertThat(subscription.cancelled).isTrue();
        RecordingSubscriber<String> early = new RecordingSubscriber<>(5);
        early.cancel();
        NoSubscription second = new NoSubscription();
        early.onSubscribe(second);
        assertThat(second.cancelled).isTrue();
        assertThat(second.requested.get()).isZero();
    }

    private static final class NoSubscription implements Flow.Subscription {
        final AtomicLong requested = new AtomicLong();
        volatile boolean cancelled;

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}

package dev.jgql.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Flow.Subscriber} that records what it receives, for tests of publishers. It requests
 * nothing by itself unless built with an initial demand: the test calls {@link #request(long)}
 * and {@link #cancel()}, and waits, a bounded time, with {@link #awaitItems} and
 * {@link #awaitTermination}. It also records what breaks the Reactive Streams rules (a second
 * {@code onSubscribe}, more items than requested, a signal after the end) in {@link #violations()},
 * and the names of the threads that delivered signals.
 *
 * <pre>{@code
 * RecordingSubscriber<ExecutionResult> events = new RecordingSubscriber<>(3);
 * connection.subscribe(countdown).subscribe(events);
 * events.awaitItems(3, Duration.ofSeconds(5));
 * events.cancel();
 * assertThat(events.violations()).isEmpty();
 * }</pre>
 *
 * <p>Thread-safe. The wait methods throw {@link AssertionError} with the recorded state when the
 * time is up, so they read well in test failures.
 *
 * @param <T> the item type
 */
public final class RecordingSubscriber<T> implements Flow.Subscriber<T> {
    private final long initialRequest;
    private final List<T> items = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Set<String> threads = new LinkedHashSet<>();
    private volatile Consumer<? super T> onNextAction = item -> { };
    private Flow.Subscription subscription;
    private long outstanding;
    private Throwable error;
    private boolean completed;
    private boolean cancelPending;
    private long pendingRequest;

    /** A subscriber that requests nothing until {@link #request(long)} is called. */
    public RecordingSubscriber() {
        this(0);
    }

    /**
     * A subscriber that requests {@code initialRequest} items as soon as it is subscribed; use
     * {@link Long#MAX_VALUE} for unbounded demand.
     */
    public RecordingSubscriber(long initialRequest) {
        if (initialRequest < 0) {
            throw new IllegalArgumentException("initialRequest must not be negative: " + initialRequest);
        }
        this.initialRequest = initialRequest;
    }

    /**
     * Something to run in {@code onNext} after the item is recorded, on the publisher's thread,
     * e.g. to simulate a slow consumer. Set it before subscribing. Default: nothing.
     */
    public RecordingSubscriber<T> onNextAction(Consumer<? super T> action) {
        this.onNextAction = Objects.requireNonNull(action, "action");
        return this;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        long request;
        boolean cancel;
        synchronized (this) {
            threads.add(Thread.currentThread().getName());
            if (this.subscription != null) {
                violations.add("onSubscribe called a second time");
                subscription.cancel();
                return;
            }
            this.subscription = subscription;
            request = saturatedAdd(initialRequest, pendingRequest);
            outstanding = saturatedAdd(outstanding, request);
            cancel = cancelPending;
            notifyAll();
        }
        if (cancel) {
            subscription.cancel();
        } else if (request > 0) {
            subscription.request(request);
        }
    }

    @Override
    public void onNext(T item) {
        synchronized (this) {
            threads.add(Thread.currentThread().getName());
            if (subscription == null) {
                violations.add("onNext before onSubscribe: " + item);
            }
            if (isTerminatedLocked()) {
                violations.add("onNext after the end of the stream: " + item);
            }
            if (outstanding <= 0) {
                violations.add("onNext without demand: " + item);
            } else if (outstanding != Long.MAX_VALUE) {
                outstanding--;
            }
            items.add(item);
            notifyAll();
        }
        onNextAction.accept(item);
    }

    @Override
    public void onError(Throwable throwable) {
        synchronized (this) {
            threads.add(Thread.currentThread().getName());
            if (isTerminatedLocked()) {
                violations.add("onError after the end of the stream: " + throwable);
                return;
            }
            error = throwable;
            notifyAll();
        }
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            threads.add(Thread.currentThread().getName());
            if (isTerminatedLocked()) {
                violations.add("onComplete after the end of the stream");
                return;
            }
            completed = true;
            notifyAll();
        }
    }

    /** Requests {@code n} more items (before the subscription arrives, the request is kept for it). */
    public void request(long n) {
        Flow.Subscription target;
        synchronized (this) {
            target = subscription;
            if (target == null) {
                pendingRequest = saturatedAdd(pendingRequest, n);
                return;
            }
            if (n > 0) {
                outstanding = saturatedAdd(outstanding, n);
            }
        }
        target.request(n);
    }

    /** Cancels the subscription (before it arrives: as soon as it arrives). */
    public void cancel() {
        Flow.Subscription target;
        synchronized (this) {
            target = subscription;
            if (target == null) {
                cancelPending = true;
                return;
            }
        }
        target.cancel();
    }

    /**
     * Waits until at least {@code count} items have arrived and returns the first {@code count}.
     *
     * @throws AssertionError if they did not arrive within {@code timeout}, or the stream ended first
     */
    public List<T> awaitItems(int count, Duration timeout) {
        synchronized (this) {
            awaitLocked(timeout, () -> items.size() >= count || isTerminatedLocked() && items.size() < count,
                    "at least " + count + " items");
            if (items.size() < count) {
                throw new AssertionError("The stream ended after " + items.size() + " of the " + count
                        + " expected items: " + describeLocked(), error);
            }
            return List.copyOf(items.subList(0, count));
        }
    }

    /**
     * Waits until {@code onComplete} or {@code onError} arrives.
     *
     * @throws AssertionError if neither arrived within {@code timeout}
     */
    public void awaitTermination(Duration timeout) {
        synchronized (this) {
            awaitLocked(timeout, this::isTerminatedLocked, "the end of the stream");
        }
    }

    /**
     * Waits until the stream ends with an error and returns it.
     *
     * @throws AssertionError if it did not end within {@code timeout}, or ended with {@code onComplete}
     */
    public Throwable awaitError(Duration timeout) {
        synchronized (this) {
            awaitLocked(timeout, this::isTerminatedLocked, "an error");
            if (error == null) {
                throw new AssertionError("The stream completed instead of failing: " + describeLocked());
            }
            return error;
        }
    }

    /**
     * Waits until {@code onSubscribe} arrives.
     *
     * @throws AssertionError if it did not arrive within {@code timeout}
     */
    public void awaitSubscription(Duration timeout) {
        synchronized (this) {
            awaitLocked(timeout, () -> subscription != null, "onSubscribe");
        }
    }

    private void awaitLocked(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + what + "; " + describeLocked(),
                        error);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    /** The items received so far, in order. */
    public synchronized List<T> items() {
        return List.copyOf(items);
    }

    /** The error the stream ended with, or {@code null}. */
    public synchronized Throwable error() {
        return error;
    }

    /** Whether the stream ended with {@code onComplete}. */
    public synchronized boolean isCompleted() {
        return completed;
    }

    /** Whether the stream ended, with {@code onComplete} or {@code onError}. */
    public synchronized boolean isTerminated() {
        return isTerminatedLocked();
    }

    /** Whether {@code onSubscribe} has arrived. */
    public synchronized boolean isSubscribed() {
        return subscription != null;
    }

    /** What broke the Reactive Streams rules; empty for a well-behaved publisher. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The names of the threads that delivered signals, in order of first appearance. */
    public synchronized Set<String> threads() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(threads));
    }

    @Override
    public synchronized String toString() {
        return "RecordingSubscriber{" + describeLocked() + '}';
    }

    private boolean isTerminatedLocked() {
        return completed || error != null;
    }

    private String describeLocked() {
        String end = completed ? "completed" : error != null ? "failed with " + error : "not ended";
        return items.size() + " items " + abbreviate(items) + ", " + end
                + (violations.isEmpty() ? "" : ", violations " + violations);
    }

    private static String abbreviate(List<?> items) {
        String text = items.toString();
        return text.length() <= 500 ? text : text.substring(0, 500) + "…]";
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}

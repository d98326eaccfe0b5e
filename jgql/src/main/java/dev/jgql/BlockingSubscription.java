package dev.jgql;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A subscription consumed by blocking, for code that is not reactive: iterate its events (an
 * iterator, an {@link Iterable} for a for-each loop, or a {@link Stream}); {@code hasNext()} waits
 * for the next event and returns {@code false} when the server completed the stream; a failure
 * (a broken link, GraphQL errors) is thrown from {@code hasNext()}/{@code next()} as the reactive
 * stream's subscriber would receive it. Closing it cancels the subscription, which stops the
 * operation on the server; the stream returned by {@link #stream()} closes it too. For one consumer
 * thread.
 *
 * <pre>{@code
 * try (BlockingSubscription<Map<String, Object>> events = session.subscribeBlocking(countdown)) {
 *     for (Map<String, Object> event : events) {
 *         System.out.println(event.get("countdown"));
 *     }
 * }
 * }</pre>
 *
 * <p>Events are requested {@value #BATCH} at a time and more only as they are consumed, so a slow
 * reader holds the stream back (back-pressure) instead of filling memory.
 *
 * @param <T> the event type
 */
public final class BlockingSubscription<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    private static final int BATCH = 16;
    private static final Object COMPLETE = new Object();

    private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private Object next;
    private Throwable failure;
    private boolean done;
    private int consumed;

    private BlockingSubscription() {
    }

    /**
     * Subscribes to a publisher and offers its events for blocking consumption.
     *
     * @param publisher the events, e.g. {@code session.subscribe(request)}
     * @param <T>       the event type
     * @return the subscription; close it when done
     */
    public static <T> BlockingSubscription<T> of(Flow.Publisher<T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        BlockingSubscription<T> blocking = new BlockingSubscription<>();
        publisher.subscribe(new Flow.Subscriber<T>() {
            @Override
            public void onSubscribe(Flow.Subscription upstream) {
                if (blocking.subscription.complete(upstream)) {
                    upstream.request(BATCH);
                } else {
                    upstream.cancel();
                }
            }

            @Override
            public void onNext(T item) {
                blocking.signals.add(item);
            }

            @Override
            public void onError(Throwable error) {
                blocking.signals.add(new Failure(error));
            }

            @Override
            public void onComplete() {
                blocking.signals.add(COMPLETE);
            }
        });
        return blocking;
    }

    private record Failure(Throwable error) {
    }

    /**
     * Waits for the next event.
     *
     * @return {@code true} if there is one, {@code false} when the stream completed
     * @throws JgqlException    the stream's failure
     * @throws TransportException if the wait is interrupted (the subscription is cancelled)
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done) {
            throwFailure();
            return false;
        }
        try {
            return accept(signals.take());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new TransportException("Interrupted while waiting for the next event; the subscription was cancelled", e);
        }
    }

    /**
     * The next event.
     *
     * @return the event
     * @throws NoSuchElementException when the stream completed
     */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The subscription completed");
        }
        @SuppressWarnings("unchecked")
        T item = (T) next;
        next = null;
        if (++consumed >= BATCH / 2) {
            int more = consumed;
            consumed = 0;
            subscription.thenAccept(upstream -> upstream.request(more));
        }
        return item;
    }

    /**
     * Waits at most {@code timeout} for the next event.
     *
     * @param timeout how long to wait
     * @return the event, or empty if none came in time (the stream is still open)
     * @throws NoSuchElementException when the stream completed
     * @throws JgqlException          the stream's failure
     */
    public Optional<T> poll(Duration timeout) {
        if (next == null && !done) {
            try {
                Object signal = signals.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (signal == null) {
                    return Optional.empty();
                }
                accept(signal);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new TransportException("Interrupted while waiting for the next event; the subscription was "
                        + "cancelled", e);
            }
        }
        return Optional.of(next());
    }

    private boolean accept(Object signal) {
        if (signal == COMPLETE) {
            done = true;
            return false;
        }
        if (signal instanceof Failure end) {
            done = true;
            failure = end.error();
            throwFailure();
        }
        next = signal;
        return true;
    }

    private void throwFailure() {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new TransportException("The subscription failed: " + failure, failure);
        }
    }

    /** @return this, once: the events can be iterated once */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /** @return the events as a sequential stream; closing it closes this subscription */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    /** Cancels the subscription (stopping the operation on the server), if it still runs. Idempotent. */
    @Override
    public void close() {
        if (!done) {
            done = true;
        }
        if (!subscription.complete(CANCELLED)) {
            subscription.thenAccept(Flow.Subscription::cancel);
        }
        signals.clear();
        signals.add(COMPLETE); // wakes a reader blocked in hasNext() on another thread
        next = null;
    }

    /** Stands in for a subscription that arrives after close, so that it is cancelled on arrival. */
    private static final Flow.Subscription CANCELLED = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    };
}

package dev.jgql.transport.support;

import dev.jgql.ExecutionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One subscriber's subscription to a stream of results, for transports: a bounded buffer of events and a serial drain that delivers
 * them on the connection's executor as the subscriber requests them. Every signal, including
 * {@code onSubscribe}, goes through the drain, so signals are serial and never run on the
 * socket's listener thread. When the executor is gone (the connection closed), the drain runs on
 * the thread that triggered it.
 *
 * <p>Terminal signals from the server ({@code complete}, {@code error}) and link failures are
 * delivered after the buffered events; an overflow or an invalid request cuts ahead and drops
 * them.
 *
 * <pre>{@code
 * Flow.Publisher<ExecutionResult> publisher = subscriber -> {
 *     StreamSubscription subscription = new StreamSubscription(subscriber, executor, 256);
 *     subscription.open(new StreamSubscription.Owner() {
 *         public void start() { sendSubscribe(subscription); }   // offer(...) each event, complete() at the end
 *         public void cancel() { sendStop(); }
 *     });
 * };
 * }</pre>
 */
public final class StreamSubscription implements Flow.Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSubscription.class);

    /** What the subscription asks of its operation. */
    public interface Owner {
        /** The subscriber requested for the first time: start the operation. */
        void start();

        /** The subscriber cancelled (or broke the rules): stop the operation. */
        void cancel();
    }

    private final Flow.Subscriber<? super ExecutionResult> subscriber;
    private final Executor executor;
    private final int capacity;
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Owner owner;

    // guarded by this
    private final ArrayDeque<ExecutionResult> queue = new ArrayDeque<>();
    private long demand;
    private boolean started;
    private boolean cancelled;
    private boolean completed;
    private Throwable error;
    private boolean done;

    // only touched by the drain
    private boolean subscribed;

    /**
     * @param subscriber receives the signals, one at a time, on {@code executor}
     * @param executor   runs the deliveries (never the socket's own thread)
     * @param capacity   how many undelivered events may wait before {@link #offer} refuses
     */
    public StreamSubscription(Flow.Subscriber<? super ExecutionResult> subscriber, Executor executor, int capacity) {
        this.subscriber = subscriber;
        this.executor = executor;
        this.capacity = capacity;
    }

    /** Delivers {@code onSubscribe}; requests made from then on start {@code owner}. */
    public void open(Owner owner) {
        this.owner = owner;
        drain();
    }

    @Override
    public void request(long n) {
        boolean start = false;
        boolean invalid = false;
        synchronized (this) {
            if (cancelled || done) {
                return;
            }
            if (n <= 0) {
                // Rule 3.9: a non-positive request is an error; it cuts ahead of buffered events.
                invalid = true;
                queue.clear();
                if (!completed && error == null) {
                    error = new IllegalArgumentException("Reactive Streams rule 3.9: request(n) needs n > 0, got " + n);
                }
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                if (!started) {
                    started = true;
                    start = true;
                }
            }
        }
        if (invalid) {
            Owner current = owner;
            if (current != null) {
                current.cancel();
            }
            drain();
            return;
        }
        if (start) {
            owner.start();
        }
        drain();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelled || done) {
                return;
            }
            cancelled = true;
            queue.clear();
        }
        Owner current = owner;
        if (current != null) {
            current.cancel();
        }
    }

    /**
     * Buffers an event. Returns {@code false} when the buffer is full: the caller ends the
     * subscription with {@link #failNow}.
     */
    public boolean offer(ExecutionResult event) {
        synchronized (this) {
            if (cancelled || done || completed || error != null) {
                return true;
            }
            if (queue.size() >= capacity) {
                return false;
            }
            queue.add(event);
        }
        drain();
        return true;
    }

    /** Ends the stream normally after the buffered events. */
    public void complete() {
        synchronized (this) {
            if (completed || error != null) {
                return;
            }
            completed = true;
        }
        drain();
    }

    /** Ends the stream with {@code failure} after the buffered events. */
    public void fail(Throwable failure) {
        synchronized (this) {
            if (completed || error != null) {
                return;
            }
            error = failure;
        }
        drain();
    }

    /** Ends the stream with {@code failure} at once, dropping the buffered events. */
    public void failNow(Throwable failure) {
        synchronized (this) {
            if (completed || error != null) {
                return;
            }
            error = failure;
            queue.clear();
        }
        drain();
    }

    /** @return how many events wait for demand */
    public int buffered() {
        synchronized (this) {
            return queue.size();
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        try {
            executor.execute(this::drainLoop);
        } catch (RejectedExecutionException closed) {
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        do {
            if (!subscribed) {
                subscribed = true;
                try {
                    subscriber.onSubscribe(this);
                } catch (Throwable e) {
                    LOG.warn("A subscriber's onSubscribe threw; cancelling its subscription", e);
                    cancel();
                }
            }
            while (true) {
                ExecutionResult next = null;
                Throwable failure = null;
                boolean complete = false;
                synchronized (this) {
                    if (done || cancelled) {
                        queue.clear();
                        break;
                    }
                    if (!queue.isEmpty() && demand > 0) {
                        next = queue.poll();
                        if (demand != Long.MAX_VALUE) {
                            demand--;
                        }
                    } else if (queue.isEmpty() && (error != null || completed)) {
                        done = true;
                        failure = error;
                        complete = error == null;
                    } else {
                        break;
                    }
                }
                try {
                    if (next != null) {
                        subscriber.onNext(next);
                    } else if (failure != null) {
                        subscriber.onError(failure);
                    } else if (complete) {
                        subscriber.onComplete();
                    }
                } catch (Throwable e) {
                    LOG.warn("A subscriber threw from a signal; cancelling its subscription (rule 2.13)", e);
                    cancel();
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}

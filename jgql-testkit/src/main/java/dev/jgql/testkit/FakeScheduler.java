package dev.jgql.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledExecutorService} on fake time, for deterministic tests of timeouts, keep-alive
 * and backoff. Nothing runs by itself: time stands still until the test calls {@link #advance},
 * which runs every task due by then, in time order, on the calling thread (including tasks that
 * those tasks schedule, and the repetitions of periodic tasks). Tasks submitted with no delay
 * ({@link #execute}, {@link #submit}, {@code schedule(task, 0, …)}) from any thread run at the
 * next {@link #advance} or {@link #runDueTasks}.
 *
 * <pre>{@code
 * FakeScheduler scheduler = new FakeScheduler();
 * Client client = Client.builder().transport(transport).scheduler(scheduler).build();
 * AsyncSession session = client.connectAsync().join();
 * scheduler.advance(Duration.ofSeconds(30));   // fires the keep-alive timers that are due
 * assertThat(scheduler.clock().instant()).isEqualTo(FakeScheduler.EPOCH.plusSeconds(30));
 * }</pre>
 *
 * <p>Thread-safe: tasks may be scheduled and cancelled from any thread while another thread
 * advances. {@link #advance} and {@link #runDueTasks} must not be called from inside a task.
 *
 * <p>Shutdown follows {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s defaults:
 * {@link #shutdown()} rejects new tasks, cancels periodic ones and keeps one-shot delayed tasks,
 * which still run when time is advanced; {@link #shutdownNow()} drops everything. Blocking calls
 * ({@code get()} on a task's future, {@link #awaitTermination}, {@code invokeAll}) wait in real
 * time for another thread to advance the fake time.
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** The instant fake time starts at: 2026-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;
    private final ThreadLocal<Boolean> insideTask = ThreadLocal.withInitial(() -> false);

    /** A scheduler whose time starts at {@link #EPOCH}. */
    public FakeScheduler() {
        this(EPOCH);
    }

    /** A scheduler whose time starts at {@code start}. */
    public FakeScheduler(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
    }

    /** A UTC clock that reads this scheduler's fake time. */
    public Clock clock() {
        return new FakeClock(ZoneOffset.UTC);
    }

    /** The fake time elapsed since this scheduler was created. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nowNanos);
    }

    /**
     * Moves fake time forward by {@code duration}, running every task that becomes due, in the
     * order of its due time (tasks due at the same time in the order they were scheduled). When a
     * task runs, the clock reads its due time. Returns the number of tasks run.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException    if called from inside a task
     */
    public int advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Time cannot go backwards: " + duration);
        }
        long target;
        synchronized (this) {
            target = saturatedAdd(nowNanos, duration.toNanos());
        }
        return runUntil(target);
    }

    /**
     * Runs every task that is due now without moving time, including tasks submitted with no
     * delay from other threads and tasks those tasks submit. Returns the number of tasks run.
     */
    public int runDueTasks() {
        long target;
        synchronized (this) {
            target = nowNanos;
        }
        return runUntil(target);
    }

    private int runUntil(long target) {
        if (insideTask.get()) {
            throw new IllegalStateException("advance and runDueTasks cannot be called from inside a task");
        }
        int ran = 0;
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueNanos > target) {
                    nowNanos = Math.max(nowNanos, target);
                    notifyAll();
                    return ran;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.dueNanos);
            }
            insideTask.set(true);
            try {
                next.run();
            } finally {
                insideTask.set(false);
            }
            ran++;
        }
    }

    /** How many tasks are scheduled and not cancelled, due now or later. */
    public synchronized int pendingTaskCount() {
        return queue.size();
    }

    /** The delay until the next scheduled task is due (zero if one is due now); empty if none. */
    public synchronized Optional<Duration> nextDelay() {
        Task<?> next = queue.peek();
        return next == null ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, next.dueNanos - nowNanos)));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(Executors.callable(command), delay, unit, 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        return enqueue(callable, delay, unit, 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return enqueue(Executors.callable(command), initialDelay, unit, unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        return enqueue(Executors.callable(command), initialDelay, unit, -unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private synchronized <V> Task<V> enqueue(Callable<V> callable, long delay, TimeUnit unit, long period) {
        Objects.requireNonNull(unit, "unit");
        if (shutdown) {
            throw new RejectedExecutionException("The FakeScheduler is shut down");
        }
        Task<V> task = new Task<>(callable, saturatedAdd(nowNanos, Math.max(0, unit.toNanos(delay))), period, sequence++);
        queue.add(task);
        return task;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        queue.removeIf(task -> {
            if (task.period != 0) {
                task.cancelQuietly();
                return true;
            }
            return false;
        });
        notifyAll();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> dropped;
        synchronized (this) {
            shutdown = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            notifyAll();
        }
        for (Runnable task : dropped) {
            ((Task<?>) task).cancelQuietly();
        }
        return dropped;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    /** Waits in real time, at most {@code timeout}, for the scheduler to be shut down with no task left. */
    @Override
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return "FakeScheduler{now=" + start.plusNanos(nowNanos) + ", pending=" + queue.size()
                + (shutdown ? ", shut down" : "") + '}';
    }

    private synchronized long nowNanos() {
        return nowNanos;
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
        notifyAll();
    }

    private synchronized void reschedule(Task<?> task) {
        if (shutdown) {
            task.cancelQuietly();
            return;
        }
        task.dueNanos = task.period > 0 ? saturatedAdd(task.dueNanos, task.period) : saturatedAdd(nowNanos, -task.period);
        task.sequence = sequence++;
        queue.add(task);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** One scheduled task and its future. */
    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> callable;
        private final long period;
        private long dueNanos;
        private long sequence;
        private boolean cancelled;
        private boolean done;
        private V result;
        private Throwable failure;

        Task(Callable<V> callable, long dueNanos, long period, long sequence) {
            this.callable = callable;
            this.dueNanos = dueNanos;
            this.period = period;
            this.sequence = sequence;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (cancelled || done) {
                    return;
                }
            }
            try {
                V value = callable.call();
                if (period == 0) {
                    finish(value, null);
                } else {
                    synchronized (this) {
                        if (cancelled) {
                            return;
                        }
                    }
                    reschedule(this);
                }
            } catch (Throwable e) {
                finish(null, e);
            }
        }

        private synchronized void finish(V value, Throwable error) {
            if (done) {
                return;
            }
            result = value;
            failure = error;
            done = true;
            notifyAll();
        }

        void cancelQuietly() {
            synchronized (this) {
                if (done) {
                    return;
                }
                cancelled = true;
                done = true;
                notifyAll();
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (this) {
                if (done) {
                    return false;
                }
                cancelled = true;
                done = true;
                notifyAll();
            }
            remove(this);
            return true;
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        @Override
        public synchronized boolean isDone() {
            return done;
        }

        @Override
        public synchronized V get() throws InterruptedException, ExecutionException {
            while (!done) {
                wait();
            }
            return report();
        }

        @Override
        public synchronized V get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (!done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("The task is not done; advance the FakeScheduler's time");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return report();
        }

        private V report() throws ExecutionException {
            if (cancelled) {
                throw new CancellationException("The task was cancelled");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nowNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Task<?> task) {
                int byTime = Long.compare(dueNanos, task.dueNanos);
                return byTime != 0 ? byTime : Long.compare(sequence, task.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** A clock view of the fake time. */
    private final class FakeClock extends Clock {
        private final ZoneId zone;

        FakeClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new FakeClock(zone);
        }

        @Override
        public Instant instant() {
            return start.plusNanos(nowNanos());
        }

        @Override
        public String toString() {
            return "FakeScheduler.clock(" + zone + ")";
        }
    }
}

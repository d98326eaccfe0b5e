package dev.jgql.countries;

import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The source stream of {@code Subscription.countdown}: {@code from, from - 1, ..., 0}, one value per
 * Vert.x timer tick, then completion.
 *
 * <p>Every state change runs on one Vert.x context, so the state needs no locking even though
 * graphql-java and the WebSocket handler may call {@code request} and {@code cancel} from other threads.
 * A value is only timed once the subscriber has demand for it, which honours back-pressure.
 */
final class Countdown implements Publisher<Integer> {

  private final Context context;
  private final int from;
  private final long intervalMs;
  private final AtomicInteger active;

  /**
   * @param active incremented while a subscription runs, so callers can check that cancelling
   *     a subscription really stopped its timer
   */
  Countdown(Context context, int from, long intervalMs, AtomicInteger active) {
    if (from < 0) {
      throw new IllegalArgumentException("from must be >= 0 but was " + from);
    }
    if (intervalMs < 1) {
      throw new IllegalArgumentException("intervalMs must be >= 1 but was " + intervalMs);
    }
    this.context = context;
    this.from = from;
    this.intervalMs = intervalMs;
    this.active = active;
  }

  @Override
  public void subscribe(Subscriber<? super Integer> subscriber) {
    context.runOnContext(v -> new Run(subscriber).start());
  }

  private final class Run implements Subscription {

    private static final long NO_TIMER = -1;

    private final Subscriber<? super Integer> subscriber;
    private int next = from;
    private long demand;
    private long timerId = NO_TIMER;
    private boolean finished;

    Run(Subscriber<? super Integer> subscriber) {
      this.subscriber = subscriber;
    }

    void start() {
      active.incrementAndGet();
      subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
      context.runOnContext(v -> {
        if (finished) {
          return;
        }
        if (n <= 0) {
          finish();
          subscriber.onError(new IllegalArgumentException("reactive-streams rule 3.9: request(" + n + ")"));
          return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        scheduleNext();
      });
    }

    @Override
    public void cancel() {
      context.runOnContext(v -> finish());
    }

    private void scheduleNext() {
      if (!finished && demand > 0 && timerId == NO_TIMER) {
        timerId = context.owner().setTimer(intervalMs, id -> emit());
      }
    }

    private void emit() {
      timerId = NO_TIMER;
      demand--;
      int value = next--;
      subscriber.onNext(value);
      if (value == 0) {
        finish();
        subscriber.onComplete();
      } else {
        scheduleNext();
      }
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      if (timerId != NO_TIMER) {
        context.owner().cancelTimer(timerId);
        timerId = NO_TIMER;
      }
      active.decrementAndGet();
    }
  }
}

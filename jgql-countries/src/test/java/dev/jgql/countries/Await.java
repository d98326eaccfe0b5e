package dev.jgql.countries;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions that become true on a server thread. */
final class Await {

  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}

package dev.kafkaping.system;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The one deadline-bounded wait of the system tests: polls a condition, fails with its name. */
final class Await {
  private static final Duration POLL = Duration.ofMillis(50);

  private Await() {}

  static void until(String description, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + description);
      }
      try {
        TimeUnit.NANOSECONDS.sleep(POLL.toNanos()); // polling interval of a bounded wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + description, e);
      }
    }
  }
}

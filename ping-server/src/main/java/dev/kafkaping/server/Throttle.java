package dev.kafkaping.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Lets one log line through per interval and counts the ones it held back; thread-safe. */
final class Throttle {
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong nextLine;
  private final AtomicLong heldBack = new AtomicLong();

  Throttle(Duration interval) {
    this(interval, System::nanoTime);
  }

  Throttle(Duration interval, LongSupplier nanoClock) {
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    this.nextLine = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * For the caller that may log now: how many were held back since the last line (0 or more); for
   * every other caller -1, and it is counted.
   */
  long suppressedSinceLastLine() {
    long now = nanoClock.getAsLong();
    long next = nextLine.get();
    if (now - next >= 0 && nextLine.compareAndSet(next, now + intervalNanos)) {
      return heldBack.getAndSet(0);
    }
    heldBack.incrementAndGet();
    return -1;
  }
}

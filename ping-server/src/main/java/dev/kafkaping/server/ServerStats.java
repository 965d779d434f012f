package dev.kafkaping.server;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters for the periodic status line; updated from many threads. */
final class ServerStats {
  private final LongAdder received = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private long lastAnswered;
  private long lastNanos = System.nanoTime();

  /** A ping was polled (a ping tried again later is not received again). */
  void received() {
    received.increment();
  }

  /** A ping's handler started. */
  void started() {
    inFlight.incrementAndGet();
  }

  void answered() {
    answered.increment();
  }

  void malformed() {
    malformed.increment();
  }

  void failure() {
    failures.increment();
  }

  void done() {
    inFlight.decrementAndGet();
  }

  /** One status line; the rate covers the time since the previous call. */
  synchronized String summary() {
    long now = System.nanoTime();
    long answeredNow = answered.sum();
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    double rate = (answeredNow - lastAnswered) / seconds;
    lastAnswered = answeredNow;
    lastNanos = now;
    return String.format(
        Locale.ROOT,
        "pings received=%d pongs sent=%d in flight=%d malformed=%d failed attempts=%d rate=%.1f/s",
        received.sum(),
        answeredNow,
        inFlight.get(),
        malformed.sum(),
        failures.sum(),
        rate);
  }
}

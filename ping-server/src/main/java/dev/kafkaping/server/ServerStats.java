package dev.kafkaping.server;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server did, counted for the periodic status line and the health endpoint, and passed on
 * to the {@link ServerMetrics}; updated from many threads.
 */
final class ServerStats {
  private final ServerMetrics metrics;
  private final LongAdder received = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();
  private final LongAdder failures = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private long lastAnswered;
  private long lastNanos = System.nanoTime();

  ServerStats() {
    this(ServerMetrics.none());
  }

  ServerStats(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** A ping was polled (a ping tried again later is not received again). */
  void received() {
    received.increment();
  }

  /** A ping's handler started. */
  void started() {
    inFlight.incrementAndGet();
  }

  /** The broker took the pong (or reply) for a ping, on {@code topic}. */
  void answered(String topic) {
    answered.increment();
    metrics.sent(topic);
  }

  /**
   * A record was copied to the dead-letter topic; {@code reason} is one of a few kinds ({@code
   * malformed}, {@code schema_registry}, {@code reply_topic}), not the record's own message.
   */
  void deadLettered(String reason, String deadLetterTopic) {
    deadLettered.computeIfAbsent(reason, kind -> new LongAdder()).increment();
    metrics.sent(deadLetterTopic);
  }

  void failure() {
    failures.increment();
  }

  /**
   * A ping's handling ended after {@code took}; {@code error} says how when it was not answered.
   */
  void processed(Duration took, Optional<String> error) {
    metrics.processed(took, error);
  }

  void committed(Duration took, boolean succeeded) {
    metrics.committed(took, succeeded);
  }

  void done() {
    inFlight.decrementAndGet();
  }

  long receivedCount() {
    return received.sum();
  }

  long answeredCount() {
    return answered.sum();
  }

  long failureCount() {
    return failures.sum();
  }

  int inFlight() {
    return inFlight.get();
  }

  Map<String, Long> deadLetteredByReason() {
    Map<String, Long> counts = new TreeMap<>();
    deadLettered.forEach((reason, count) -> counts.put(reason, count.sum()));
    return counts;
  }

  long deadLetteredCount() {
    return deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
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
        deadLetteredCount(),
        failures.sum(),
        rate);
  }
}

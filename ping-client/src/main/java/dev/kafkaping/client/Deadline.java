package dev.kafkaping.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The -w deadline: {@code limit} after {@code startNanos} (on the {@link System#nanoTime} clock),
 * by which the whole command, set-up included, must be over; without -w, never.
 *
 * @param limit the -w duration, if given
 * @param startNanos when the command started
 */
record Deadline(Optional<Duration> limit, long startNanos) {

  /** A deadline that starts counting now. */
  static Deadline startingNow(Optional<Duration> limit) {
    return new Deadline(limit, System.nanoTime());
  }

  boolean given() {
    return limit.isPresent();
  }

  /** Nanoseconds left, negative once passed; {@link Long#MAX_VALUE} without -w. */
  long nanosLeft() {
    return limit.map(d -> startNanos + d.toNanos() - System.nanoTime()).orElse(Long.MAX_VALUE);
  }

  boolean passed() {
    return nanosLeft() <= 0;
  }

  /** The shorter of {@code bound} and the time left (zero once passed). */
  Duration within(Duration bound) {
    return Duration.ofNanos(Math.max(0, Math.min(bound.toNanos(), nanosLeft())));
  }
}

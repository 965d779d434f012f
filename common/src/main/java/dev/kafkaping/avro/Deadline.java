package dev.kafkaping.avro;

import java.time.Duration;

/**
 * When one call to the registry must be over, whatever requests it makes.
 *
 * @param length the time the call was given, for messages
 * @param atNanos the end, on {@link System#nanoTime()}'s scale
 */
record Deadline(Duration length, long atNanos) {
  static Deadline after(Duration length) {
    return new Deadline(length, System.nanoTime() + length.toNanos());
  }

  long remainingNanos() {
    return atNanos - System.nanoTime();
  }

  boolean passed() {
    return remainingNanos() <= 0;
  }
}

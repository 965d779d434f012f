package dev.kafkaping.system;

import java.time.Duration;
import java.util.List;

/** Waits for ping processes to have printed a number of replies, so that faults hit mid-load. */
final class Replies {
  private Replies() {}

  static void await(List<JavaProcess> clients, int replies, Duration timeout) {
    Await.until(
        "clients printed " + replies + " replies",
        timeout,
        () -> clients.stream().mapToLong(c -> c.stdout().size()).sum() >= replies);
  }
}

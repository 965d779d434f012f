package dev.kafkaping.system;

import java.time.Duration;
import java.util.List;

/** Waits for ping processes to have printed a number of replies, so that faults hit mid-load. */
final class Replies {
  private Replies() {}

  /** Clients run with --json: only pong lines count, not timeouts or the summary. */
  static void await(List<JavaProcess> clients, int replies, Duration timeout) {
    Await.until(
        "clients printed " + replies + " replies", timeout, () -> count(clients) >= replies);
  }

  static long count(List<JavaProcess> clients) {
    return clients.stream()
        .flatMap(client -> client.stdout().stream())
        .filter(line -> line.startsWith("{\"type\":\"pong\""))
        .count();
  }
}

package dev.kafkaping.system;

import java.time.Duration;
import java.util.List;

/** Watches pong servers' logs for partitions being assigned to them. */
final class Handover {
  private Handover() {}

  static long assignments(List<JavaProcess> servers) {
    return servers.stream()
        .flatMap(server -> server.allLines().stream())
        .filter(line -> line.contains("partitions assigned"))
        .count();
  }

  /** Waits until one of the servers logs an assignment beyond the {@code before} it had. */
  static void awaitNewAssignment(List<JavaProcess> servers, long before, Duration timeout) {
    Await.until("a new 'partitions assigned' line", timeout, () -> assignments(servers) > before);
  }
}

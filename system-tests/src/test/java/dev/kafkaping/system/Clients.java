package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Ping processes started together, awaited together and cleaned up together. */
final class Clients {
  private Clients() {}

  /** {@code count} ping processes, each with the wire's topics and group and {@code args}. */
  static List<JavaProcess> start(Wire wire, int count, String... args) {
    List<JavaProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        started.add(JavaProcess.start("ping-" + i, Jars.PING, wire.clientArgs(args), Map.of()));
      }
    } catch (RuntimeException e) {
      started.forEach(JavaProcess::kill); // none of them outlives a failed start
      throw e;
    }
    return started;
  }

  /** Each must exit 0 within {@code timeout}; a failure shows the client's whole output. */
  static void awaitExitZero(List<JavaProcess> clients, Duration timeout)
      throws InterruptedException {
    for (JavaProcess client : clients) {
      assertThat(client.awaitExit(timeout)).as(String.join("\n", client.allLines())).isZero();
    }
  }

  static void closeAll(List<JavaProcess> processes) throws InterruptedException {
    for (JavaProcess process : processes) {
      process.close();
    }
  }
}

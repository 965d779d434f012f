package dev.kafkaping.devkafka;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM: the first asks for a clean stop, a second one exits at once. The JVM's own
 * handling would run shutdown hooks and exit with 130 or 143 even when the stop was clean. (The
 * same idea as {@code dev.kafkaping.cli.StopSignals}; kafka-dev.jar does not carry the common
 * module and its tracing libraries.)
 */
final class StopSignals {
  private StopSignals() {}

  /**
   * For one node of a cluster: SIGTERM stops it, SIGINT is ignored. A Ctrl-C in the terminal
   * reaches the whole process group; the launcher then stops its nodes with SIGTERM, and a node
   * that had taken the Ctrl-C as well would take that SIGTERM as a second signal and halt.
   */
  static void installForNode(Runnable onStop) {
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    Signal.handle(new Signal("TERM"), signal -> onStop.run());
  }

  static void install(Runnable onFirstSignal) {
    AtomicInteger received = new AtomicInteger();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (received.incrementAndGet() == 1) {
              onFirstSignal.run();
            } else {
              Runtime.getRuntime().halt(128 + signal.getNumber());
            }
          });
    }
  }
}

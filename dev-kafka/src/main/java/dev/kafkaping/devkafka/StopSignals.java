package dev.kafkaping.devkafka;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM: the first asks for a clean stop, a second one exits at once. The JVM's own
 * handling would run shutdown hooks and exit with 130 or 143 even when the stop was clean. (The
 * same idea as {@code dev.kafkaping.cli.StopSignals}; kafka-dev.jar does not carry the common
 * module and its tracing libraries.)
 */
final class StopSignals {
  private StopSignals() {}

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

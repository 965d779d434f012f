package dev.kafkaping.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM: the first asks for a graceful stop, a second one exits at once. The JVM's own
 * handling would run shutdown hooks once and ignore the second signal.
 */
public final class StopSignals {
  private StopSignals() {}

  public static void install(Runnable onFirstSignal) {
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

package dev.kafkaping.server;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the producer's verdict on a send, however long it takes. Giving up and sending again
 * would queue a second copy beside the first, and the broker takes both once it is back. The
 * producer decides within its delivery timeout, except while it cannot even get a producer id (no
 * broker at all): then nothing expires until a broker answers, and this waits that long.
 */
final class Verdicts {
  private static final Logger log = LoggerFactory.getLogger(Verdicts.class);

  private Verdicts() {}

  static <T> T await(Future<T> verdict, Duration recheck, String what)
      throws ExecutionException, InterruptedException {
    long started = System.nanoTime();
    while (true) {
      try {
        return verdict.get(recheck.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillUndecided) {
        log.debug(
            "{} still undecided after {} ms; waiting on (a second send would be a second copy)",
            what,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
    }
  }
}

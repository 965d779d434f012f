package dev.kafkaping.client;

import dev.kafkaping.cli.ExitCode;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ping loop: sends pings one after another (or keeps {@code --in-flight} of them outstanding),
 * honours count, interval and deadline, and stops early on Ctrl-C.
 */
final class PingRun {
  private final PingConfig config;
  private final Pinger pinger;
  private final ReplyPrinter printer;
  private final Statistics statistics = new Statistics();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicInteger nextSequence = new AtomicInteger(1);
  private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
  private volatile boolean interrupted;

  PingRun(PingConfig config, Pinger pinger, ReplyPrinter printer) {
    this.config = config;
    this.pinger = pinger;
    this.printer = printer;
  }

  /** Ctrl-C: stop sending, end the waits, print the summary. Safe from any thread. */
  void stop() {
    interrupted = true;
    stopped.countDown();
    pinger.stopAll();
  }

  int run() throws InterruptedException {
    long started = System.nanoTime();
    long deadline = config.deadline().map(d -> started + d.toNanos()).orElse(Long.MAX_VALUE);
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < config.inFlight(); i++) {
      senders.add(Thread.ofVirtual().name("sender-" + i).start(() -> sendLoop(deadline)));
    }
    for (Thread sender : senders) {
      sender.join();
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    Statistics.Summary summary = statistics.summary((System.nanoTime() - started) / 1e6);
    if (config.wantsSummary() || interrupted) {
      printer.summary(summary);
    }
    return exitCode(summary);
  }

  private void sendLoop(long deadline) {
    long nextSend = System.nanoTime();
    while (true) {
      int sequence = nextSequence.getAndIncrement();
      if (config.count() > 0 && sequence > config.count()) {
        return;
      }
      if (!awaitUntil(nextSend) || System.nanoTime() >= deadline || fatal.get() != null) {
        return;
      }
      nextSend = System.nanoTime() + config.interval().toNanos();
      Duration wait =
          Duration.ofNanos(Math.min(config.timeout().toNanos(), deadline - System.nanoTime()));
      statistics.transmitted();
      RoundTrip trip;
      try {
        trip = pinger.ping(sequence, wait);
      } catch (Pinger.FatalException e) {
        fatal.compareAndSet(
            null,
            new UserError(
                KafkaErrors.describe(
                    e.getCause(), config.connection().bootstrapServers(), e.operation())));
        stop();
        return;
      }
      if (trip instanceof RoundTrip.Answered answered) {
        statistics.received(answered.millis());
      }
      if (!interrupted) {
        printer.reply(trip);
      }
    }
  }

  /** Waits for the interval to pass; false when stopped meanwhile. */
  private boolean awaitUntil(long nanoTime) {
    try {
      return !stopped.await(Math.max(0, nanoTime - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int exitCode(Statistics.Summary summary) {
    if (summary.transmitted() == 0) {
      return ExitCode.NO_REPLY;
    }
    boolean deadlineOnly = config.count() == 0;
    boolean complete = deadlineOnly ? summary.received() > 0 : summary.received() == config.count();
    return complete ? ExitCode.OK : ExitCode.NO_REPLY;
  }
}

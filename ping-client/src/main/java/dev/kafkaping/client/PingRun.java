package dev.kafkaping.client;

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
  // The first sender to meet a fatal error ends the run for all of them; run() reports it.
  private final AtomicReference<UserError> fatal = new AtomicReference<>();
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
    return ExitStatus.of(summary.received(), config.count(), config.deadline().isPresent());
  }

  private void sendLoop(long deadline) {
    long nextSend = System.nanoTime();
    while (true) {
      int sequence = nextSequence.getAndIncrement();
      if (config.count() > 0 && sequence > config.count()) {
        return;
      }
      if (!awaitUntil(Math.min(nextSend, deadline))
          || System.nanoTime() >= deadline
          || fatal.get() != null) {
        return;
      }
      nextSend = System.nanoTime() + config.interval().toNanos();
      Duration wait =
          Duration.ofNanos(Math.min(config.timeout().toNanos(), deadline - System.nanoTime()));
      statistics.transmitted();
      switch (pinger.ping(sequence, wait)) {
        case RoundTrip.Answered answered -> {
          statistics.received(answered.millis());
          report(answered);
        }
        case RoundTrip.Lost lost -> report(lost);
        case PingResult.Fatal failure -> {
          endRun(failure);
          return;
        }
      }
    }
  }

  private void report(RoundTrip trip) {
    if (!interrupted) {
      printer.reply(trip);
    }
  }

  private void endRun(PingResult.Fatal failure) {
    if (interrupted) {
      return; // Ctrl-C came first: its summary is what the user asked for
    }
    String bootstrap = config.connection().bootstrapServers();
    UserError error =
        failure.error() instanceof UserError alreadyClear
            ? alreadyClear // e.g. "no pong server is running", with its own exit code
            : new UserError(KafkaErrors.describe(failure.error(), bootstrap, failure.operation()));
    fatal.compareAndSet(null, error);
    stop();
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
}

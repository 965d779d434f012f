package dev.kafkaping.client;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * The ping loop: sends pings one after another (or keeps {@code --in-flight} of them outstanding),
 * honours count, interval and deadline, and stops early on Ctrl-C. The -w deadline is a hard limit,
 * as in iputils: what is still running {@link #LATE_REPORTS} after it (a send blocked by a silent
 * broker) is stopped and left unreported, and the summary follows at once.
 */
final class PingRun {
  /** How long after the deadline the run waits for the replies being reported right then. */
  static final Duration LATE_REPORTS = Duration.ofMillis(200);

  private final PingConfig config;
  private final RoundTripper pinger;
  private final ReplyPrinter printer;
  private final ReplyOrder replies;
  private final PingMetrics metrics;
  private final Optional<PartitionCanary> canary;
  private final Statistics statistics = new Statistics();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicInteger nextSequence = new AtomicInteger(1);
  // The first sender to meet a fatal error ends the run for all of them; run() reports it.
  private final AtomicReference<UserError> fatal = new AtomicReference<>();
  private volatile boolean interrupted;

  PingRun(
      PingConfig config,
      RoundTripper pinger,
      ReplyPrinter printer,
      PingMetrics metrics,
      Optional<PartitionCanary> canary) {
    this.canary = canary;
    this.config = config;
    this.pinger = pinger;
    this.printer = printer;
    this.replies = new ReplyOrder(printer);
    this.metrics = metrics;
  }

  /** Ctrl-C: stop sending, end the waits, print the summary. Safe from any thread. */
  void stop() {
    interrupted = true;
    replies.mute();
    stopped.countDown();
    pinger.stopAll();
  }

  int run() throws InterruptedException {
    long started = System.nanoTime();
    pinger.onDuplicate(this::duplicate);
    List<Thread> senders = new ArrayList<>();
    // With --every-partition each partition has senders of its own, so that a partition whose
    // leader is gone holds back only its own pings.
    int partitionCount = canary.map(PartitionCanary::partitions).orElse(1);
    for (int i = 0; i < config.inFlight() * partitionCount; i++) {
      IntSupplier sequences = sequences(i % partitionCount);
      senders.add(Thread.ofVirtual().name("sender-" + i).start(() -> sendLoop(sequences)));
    }
    if (!awaitSenders(senders)) {
      stop(); // the deadline ends what still runs as Ctrl-C would, and the summary is due now
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    // A duplicate still on its way must not print after the summary: the summary is last.
    replies.mute();
    double elapsedMillis = (System.nanoTime() - started) / 1e6;
    Statistics.Summary summary = statistics.summary(elapsedMillis);
    if (config.wantsSummary() || interrupted) {
      printer.summary(
          summary, canary.map(partitions -> partitions.summary(elapsedMillis)).orElse(List.of()));
    }
    return ExitStatus.of(summary.received(), config.count(), config.deadline().given());
  }

  /** False when some sender is still busy {@link #LATE_REPORTS} after the deadline. */
  private boolean awaitSenders(List<Thread> senders) throws InterruptedException {
    Deadline deadline = config.deadline();
    for (Thread sender : senders) {
      if (!deadline.given()) {
        sender.join();
      } else if (!sender.join(
          Duration.ofNanos(Math.max(0, deadline.nanosLeft() + LATE_REPORTS.toNanos())))) {
        return false;
      }
    }
    return true;
  }

  /** The sequence numbers a sender takes: the run's next, or its partition's next. */
  private IntSupplier sequences(int partition) {
    return canary
        .<IntSupplier>map(partitions -> () -> partitions.nextSequence(partition))
        .orElse(nextSequence::getAndIncrement);
  }

  private void sendLoop(IntSupplier sequences) {
    Deadline deadline = config.deadline();
    long nextSend = System.nanoTime();
    while (true) {
      int sequence = sequences.getAsInt();
      if (config.count() > 0 && sequence > config.count()) {
        return;
      }
      if (!await(Math.min(nextSend - System.nanoTime(), deadline.nanosLeft()))
          || deadline.passed()
          || fatal.get() != null) {
        return;
      }
      nextSend = System.nanoTime() + config.interval().toNanos();
      statistics.transmitted();
      metrics.sent(sequence);
      canary.ifPresent(partitions -> partitions.transmitted(sequence));
      replies.sending(sequence);
      switch (pinger.ping(sequence, deadline.within(config.timeout()))) {
        case RoundTrip.Answered answered -> {
          statistics.received(answered.millis());
          metrics.answered(answered);
          canary.ifPresent(partitions -> partitions.received(sequence, answered.millis()));
          replies.reply(answered);
        }
        case RoundTrip.Lost lost -> {
          metrics.lost(sequence);
          replies.reply(lost);
        }
        case PingResult.Fatal failure -> {
          replies.forget(sequence);
          endRun(failure);
          return;
        }
      }
    }
  }

  private void duplicate(DuplicatePong duplicate) {
    statistics.duplicate();
    metrics.duplicated(duplicate.sequence());
    replies.duplicate(duplicate);
  }

  private void endRun(PingResult.Fatal failure) {
    if (interrupted) {
      return; // Ctrl-C or the deadline came first: the summary is what the user asked for
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
  private boolean await(long nanos) {
    try {
      return !stopped.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

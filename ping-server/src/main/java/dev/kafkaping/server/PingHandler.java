package dev.kafkaping.server;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.statemachine.Outcome;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one ping record, on its own virtual thread: answer it (retrying until it is
 * answered or no longer ours), or copy it to the dead-letter topic if it is not a valid ping.
 */
final class PingHandler {
  private static final Logger log = LoggerFactory.getLogger(PingHandler.class);
  static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final PongResponder responder;
  private final DeadLetters deadLetters;
  private final ServerStats stats;
  private final String deadLetterTopic;
  private final java.util.concurrent.atomic.AtomicReference<Throwable> deadLetterError =
      new java.util.concurrent.atomic.AtomicReference<>();

  PingHandler(
      PongResponder responder, DeadLetters deadLetters, ServerStats stats, String deadLetterTopic) {
    this.responder = responder;
    this.deadLetters = deadLetters;
    this.stats = stats;
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * Why answering cannot go on at all (a refused WRITE on the pong or dead-letter topic), or null.
   */
  Throwable fatalError() {
    Throwable fatal = responder.fatalError();
    return fatal != null ? fatal : deadLetterError.get();
  }

  void handle(ConsumerRecord<byte[], byte[]> record, PollLoop loop) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    try {
      Duration backoff = FIRST_BACKOFF;
      for (int attempt = 1; ; attempt++) {
        if (attempt(record, attempt)) {
          loop.finished(record);
          return;
        }
        stats.failure();
        if (loop.isStopping() || !loop.owns(partition)) {
          log.warn(
              "{} left unanswered and uncommitted: it will be answered after a restart or"
                  + " rebalance",
              PingRecords.position(record));
          return;
        }
        Thread.sleep(backoff); // retry backoff, not synchronisation
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stats.done();
    }
  }

  private boolean attempt(ConsumerRecord<byte[], byte[]> record, int attempt)
      throws InterruptedException {
    PingEnvelope envelope;
    try {
      envelope = decode(record);
    } catch (MalformedMessageException e) {
      return deadLetter(record, e.getMessage(), attempt);
    }
    String machineId = "Pong:" + envelope.body().sessionId();
    Outcome<PongMessage> outcome = responder.answer(record, envelope);
    if (outcome instanceof Outcome.Finished<PongMessage>) {
      stats.answered();
      log.debug("{} answered {}", machineId, PingRecords.position(record));
      return true;
    }
    log.warn(
        "{} attempt {} for {} failed: {}; retrying",
        machineId,
        attempt,
        PingRecords.position(record),
        PongResponder.describe(outcome));
    return false;
  }

  private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, int attempt)
      throws InterruptedException {
    try {
      deadLetters.send(record, reason);
    } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
      if (dev.kafkaping.kafka.KafkaErrors.isFatal(e)) {
        deadLetterError.compareAndSet(null, dev.kafkaping.kafka.KafkaErrors.unwrap(e));
      }
      log.warn(
          "malformed record at {} ({}) could not be copied to {} (attempt {}): {}",
          PingRecords.position(record),
          reason,
          deadLetterTopic,
          attempt,
          e.getMessage());
      return false;
    }
    stats.malformed();
    log.warn(
        "malformed record at {}: {}; copied to {}",
        PingRecords.position(record),
        reason,
        deadLetterTopic);
    return true;
  }

  private static PingEnvelope decode(ConsumerRecord<byte[], byte[]> record)
      throws MalformedMessageException {
    int headerBytes = 0;
    for (Header header : record.headers()) {
      headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new MalformedMessageException(
          "headers too large: " + headerBytes + " bytes (limit " + MAX_HEADER_BYTES + ")");
    }
    return WireCodec.decodePing(record.value());
  }
}

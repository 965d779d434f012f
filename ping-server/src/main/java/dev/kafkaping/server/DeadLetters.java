package dev.kafkaping.server;

import dev.kafkaping.kafka.KafkaErrors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Copies records that are not valid pings, with their original key, value and headers, to the
 * dead-letter topic, adding headers that say why and where they came from. A copy the broker
 * refuses for good is retried without the original bytes, and if even that is refused, the record
 * is logged and given up, so that one bad record can never hold its partition back.
 */
final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  static final String REASON = "dlt.reason";
  static final String SOURCE_TOPIC = "dlt.source.topic";
  static final String SOURCE_PARTITION = "dlt.source.partition";
  static final String SOURCE_OFFSET = "dlt.source.offset";
  static final String VALUE_DROPPED = "dlt.value.dropped";

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration timeout;

  String topic() {
    return topic;
  }

  DeadLetters(Producer<byte[], byte[]> producer, String topic, Duration timeout) {
    this.producer = producer;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** Copies the record and waits (at most the timeout) until the broker has the copy. */
  Attempt copy(ConsumerRecord<byte[], byte[]> source, String reason) {
    return copy(source, reason, Level.WARN);
  }

  /**
   * Like {@link #copy(ConsumerRecord, String)}, saying that it was copied at {@code level}: a
   * caller that has already said why in one line for many records lowers it.
   */
  Attempt copy(ConsumerRecord<byte[], byte[]> source, String reason, Level level) {
    Optional<Throwable> fullCopyError = send(fullCopy(source, reason));
    if (fullCopyError.isEmpty()) {
      log.atLevel(level)
          .log("malformed record at {}: {}; copied to {}", position(source), reason, topic);
      return done(true);
    }
    Throwable refused = fullCopyError.get();
    if (!refusedForGood(refused)) {
      return retryOrStop(source, refused);
    }
    Optional<Throwable> evidenceError = send(evidenceOnly(source, reason, refused));
    if (evidenceError.isEmpty()) {
      log.warn(
          "malformed record at {}: {}; copied to {} without its key, value and headers ({})",
          position(source),
          reason,
          topic,
          refused.getMessage());
      return done(true);
    }
    if (!refusedForGood(evidenceError.get())) {
      return retryOrStop(source, evidenceError.get());
    }
    log.error(
        "malformed record at {}: {}; {} refused even a copy without its bytes ({}): skipped, it"
            + " is not copied anywhere",
        position(source),
        reason,
        topic,
        evidenceError.get().getMessage());
    return done(false);
  }

  private static Attempt done(boolean copied) {
    return new Attempt.Done(new Handled.DeadLettered(copied));
  }

  private Attempt retryOrStop(ConsumerRecord<byte[], byte[]> source, Throwable error) {
    if (KafkaErrors.isFatal(error)) {
      return new Attempt.Fatal(error);
    }
    return new Attempt.Failed(
        "malformed record at " + position(source) + " not yet copied to " + topic + ": " + error);
  }

  /** Neither retriable nor a permission problem: the same record would be refused again. */
  private static boolean refusedForGood(Throwable error) {
    return !(error instanceof RetriableException)
        && !(error instanceof TimeoutException)
        && !(error instanceof InterruptedException)
        && !KafkaErrors.isFatal(error);
  }

  /**
   * Sends and waits for the producer's verdict, however long it takes (see {@link Verdicts}); the
   * error, if the broker did not take the record.
   */
  private Optional<Throwable> send(ProducerRecord<byte[], byte[]> copy) {
    try {
      Verdicts.await(producer.send(copy), timeout, "dead-letter copy of " + sourceOf(copy));
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(e);
    } catch (RuntimeException e) {
      return Optional.of(e); // send() itself refused: buffer full, record too large, closed
    }
  }

  private ProducerRecord<byte[], byte[]> fullCopy(
      ConsumerRecord<byte[], byte[]> source, String reason) {
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, source.key(), source.value());
    for (Header header : source.headers()) {
      copy.headers().add(header);
    }
    return withProvenance(copy, source, reason);
  }

  private ProducerRecord<byte[], byte[]> evidenceOnly(
      ConsumerRecord<byte[], byte[]> source, String reason, Throwable refused) {
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, null, null);
    copy.headers()
        .add(
            VALUE_DROPPED,
            utf8(
                "key, value ("
                    + source.serializedValueSize()
                    + " bytes) and headers not copied: "
                    + refused.getMessage()));
    return withProvenance(copy, source, reason);
  }

  private static ProducerRecord<byte[], byte[]> withProvenance(
      ProducerRecord<byte[], byte[]> copy, ConsumerRecord<byte[], byte[]> source, String reason) {
    copy.headers()
        .add(REASON, utf8(reason))
        .add(SOURCE_TOPIC, utf8(source.topic()))
        .add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())))
        .add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    return copy;
  }

  private static String sourceOf(ProducerRecord<byte[], byte[]> copy) {
    return new String(copy.headers().lastHeader(SOURCE_TOPIC).value(), StandardCharsets.UTF_8)
        + "-"
        + new String(copy.headers().lastHeader(SOURCE_PARTITION).value(), StandardCharsets.UTF_8)
        + "@"
        + new String(copy.headers().lastHeader(SOURCE_OFFSET).value(), StandardCharsets.UTF_8);
  }

  private static String position(ConsumerRecord<?, ?> source) {
    return PingRecords.position(source);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

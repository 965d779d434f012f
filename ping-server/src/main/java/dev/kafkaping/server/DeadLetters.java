package dev.kafkaping.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;

/**
 * Copies records that are not valid pings, with their original key, value and headers, to the
 * dead-letter topic, adding headers that say why and where they came from.
 */
final class DeadLetters {
  static final String REASON = "dlt.reason";
  static final String SOURCE_TOPIC = "dlt.source.topic";
  static final String SOURCE_PARTITION = "dlt.source.partition";
  static final String SOURCE_OFFSET = "dlt.source.offset";
  static final String VALUE_DROPPED = "dlt.value.dropped";

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  DeadLetters(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Blocks until the broker has the copy; throws when it cannot be written. */
  void send(ConsumerRecord<byte[], byte[]> source, String reason)
      throws ExecutionException, InterruptedException {
    try {
      producer.send(copy(source, reason, source.value())).get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RecordTooLargeException)) {
        throw e;
      }
      // The copy plus our headers no longer fits; keep the evidence of where it was instead.
      ProducerRecord<byte[], byte[]> withoutValue = copy(source, reason, null);
      withoutValue
          .headers()
          .add(
              VALUE_DROPPED,
              utf8("value of " + source.serializedValueSize() + " bytes too large to copy"));
      producer.send(withoutValue).get();
    }
  }

  private ProducerRecord<byte[], byte[]> copy(
      ConsumerRecord<byte[], byte[]> source, String reason, byte[] value) {
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, source.key(), value);
    for (Header header : source.headers()) {
      copy.headers().add(header);
    }
    copy.headers()
        .add(REASON, utf8(reason))
        .add(SOURCE_TOPIC, utf8(source.topic()))
        .add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())))
        .add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    return copy;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

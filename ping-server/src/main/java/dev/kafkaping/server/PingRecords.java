package dev.kafkaping.server;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Small helpers for describing consumed ping records in logs. */
final class PingRecords {
  private PingRecords() {}

  static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  static String keyText(ConsumerRecord<byte[], ?> record) {
    return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
  }
}

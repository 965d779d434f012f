package dev.kafkaping.server;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Handles one consumed record on its own (virtual) thread; the poll loop's only callee. */
@FunctionalInterface
interface RecordHandler {
  /**
   * Blocks until the record is handled or given up on; {@code ownership} says whether it is still
   * worth retrying.
   */
  Handled handle(ConsumerRecord<byte[], byte[]> record, Ownership ownership);
}

package dev.kafkaping.server;

import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Handles one consumed record on its own (virtual) thread; the poll loop's only callee. */
@FunctionalInterface
interface RecordHandler {
  /**
   * Blocks until the record is handled or given up on; {@code stillOurs} says whether it is still
   * worth retrying (false once the server stops or the partition's ownership ended).
   */
  Handled handle(ConsumerRecord<byte[], byte[]> record, BooleanSupplier stillOurs);
}

package dev.kafkaping.client;

import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** How the pong listener tells which session a record on the pong topic answers. */
sealed interface ReplyMatcher permits PongBodyMatcher, CorrelationMatcher {

  /** The session the record answers; empty (with a log line saying why) when it cannot tell. */
  Optional<UUID> sessionOf(ConsumerRecord<byte[], byte[]> record);

  /** The answer for this session, in a log line about ignoring it. */
  String describe(UUID sessionId);
}

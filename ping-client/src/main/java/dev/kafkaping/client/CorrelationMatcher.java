package dev.kafkaping.client;

import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies under a reply convention: the session is found by the correlation id in the headers, the
 * body is not read. A reply without the header, or with an id no ping of ours sent, is ignored, as
 * Spring's {@code ReplyingKafkaTemplate} does.
 */
record CorrelationMatcher(RequestReply requestReply) implements ReplyMatcher {
  private static final Logger log = LoggerFactory.getLogger(CorrelationMatcher.class);

  @Override
  public Optional<UUID> sessionOf(ConsumerRecord<byte[], byte[]> record) {
    String header = requestReply.convention().correlationHeader();
    Optional<byte[]> correlationId = requestReply.convention().correlationId(record.headers());
    if (correlationId.isEmpty()) {
      log.debug(
          "ignoring reply at {}-{}@{}: no {} header",
          record.topic(),
          record.partition(),
          record.offset(),
          header);
      return Optional.empty();
    }
    Optional<UUID> sessionId = requestReply.sessionId(correlationId.get());
    if (sessionId.isEmpty()) {
      log.debug(
          "ignoring reply at {}-{}@{}: its {} of {} bytes is none of ours",
          record.topic(),
          record.partition(),
          record.offset(),
          header,
          correlationId.get().length);
    }
    return sessionId;
  }

  @Override
  public String describe(UUID sessionId) {
    return "reply with correlation id " + sessionId;
  }
}

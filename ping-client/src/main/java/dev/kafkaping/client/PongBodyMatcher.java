package dev.kafkaping.client;

import dev.kafkaping.avro.SchemaRegistryException;
import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.WireFormat;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** kafka-ping's own pongs: the session id is in the body, JSON or Avro. */
final class PongBodyMatcher implements ReplyMatcher {
  private static final Logger log = LoggerFactory.getLogger(PongBodyMatcher.class);

  private final PingWire wire;
  private final PendingPongs pending;

  PongBodyMatcher(PingWire wire, PendingPongs pending) {
    this.wire = wire;
    this.pending = pending;
  }

  @Override
  public Optional<UUID> sessionOf(ConsumerRecord<byte[], byte[]> record) {
    if (WireFormat.of(record.value()) == WireFormat.AVRO && !pending.mayBeOurs(record.key())) {
      return Optional.empty(); // another client's: reading it could cost a registry request
    }
    try {
      return Optional.of(wire.decode(record.value()).sessionId());
    } catch (SchemaRegistryException e) {
      log.warn(
          "pong at {}-{}@{} not read: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    } catch (MalformedMessageException e) {
      log.debug(
          "ignoring malformed pong at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public String describe(UUID sessionId) {
    return "pong for session " + sessionId;
  }
}

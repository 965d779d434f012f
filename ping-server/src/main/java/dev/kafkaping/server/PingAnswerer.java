package dev.kafkaping.server;

import dev.kafkaping.avro.AvroCodec;
import dev.kafkaping.avro.SchemaRegistryException;
import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.message.WireFormat;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try at a ping record: a valid ping, JSON or Avro, is answered in its own format; anything
 * else is dead-lettered.
 */
final class PingAnswerer {
  private static final Logger log = LoggerFactory.getLogger(PingAnswerer.class);
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private final PongResponder responder;
  private final DeadLetters deadLetters;
  private final Optional<AvroCodec> avro;
  private final ServerStats stats;

  PingAnswerer(
      PongResponder responder,
      DeadLetters deadLetters,
      Optional<AvroCodec> avro,
      ServerStats stats) {
    this.responder = responder;
    this.deadLetters = deadLetters;
    this.avro = avro;
    this.stats = stats;
  }

  Attempt tryOnce(ConsumerRecord<byte[], byte[]> record) {
    WireFormat format = WireFormat.of(record.value());
    PingEnvelope envelope;
    try {
      envelope = decode(record, format);
    } catch (MalformedMessageException e) {
      Attempt copied = deadLetters.copy(record, e.getMessage());
      if (copied instanceof Attempt.Done) {
        stats.malformed();
      }
      return copied;
    } catch (SchemaRegistryException e) {
      // Not the ping's fault: it stays uncommitted and is tried again, like a broker outage.
      return new Attempt.Failed(e.getMessage());
    }
    Attempt answered = responder.answer(record, envelope, format);
    if (answered instanceof Attempt.Done) {
      stats.answered();
      log.debug("Pong:{} answered {}", envelope.body().sessionId(), PingRecords.position(record));
    }
    return answered;
  }

  private PingEnvelope decode(ConsumerRecord<byte[], byte[]> record, WireFormat format)
      throws MalformedMessageException, SchemaRegistryException {
    int headerBytes = 0;
    for (Header header : record.headers()) {
      headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new MalformedMessageException(
          "headers too large: " + headerBytes + " bytes (limit " + MAX_HEADER_BYTES + ")");
    }
    return switch (format) {
      case JSON -> WireCodec.decodePing(record.value());
      case AVRO -> {
        if (avro.isEmpty()) {
          throw new MalformedMessageException(
              "an Avro ping (schema id "
                  + AvroCodec.schemaId(record.value())
                  + "), but this server has no --schema-registry to read it with");
        }
        yield avro.get().decodePing(record.value());
      }
    };
  }
}

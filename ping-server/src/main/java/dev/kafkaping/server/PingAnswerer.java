package dev.kafkaping.server;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One try at a ping record: a valid ping is answered, anything else is dead-lettered. */
final class PingAnswerer {
  private static final Logger log = LoggerFactory.getLogger(PingAnswerer.class);
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private final PongResponder responder;
  private final DeadLetters deadLetters;
  private final ServerStats stats;

  PingAnswerer(PongResponder responder, DeadLetters deadLetters, ServerStats stats) {
    this.responder = responder;
    this.deadLetters = deadLetters;
    this.stats = stats;
  }

  Attempt tryOnce(ConsumerRecord<byte[], byte[]> record) {
    PingEnvelope envelope;
    try {
      envelope = decode(record);
    } catch (MalformedMessageException e) {
      Attempt copied = deadLetters.copy(record, e.getMessage());
      if (copied instanceof Attempt.Done) {
        stats.malformed();
      }
      return copied;
    }
    Attempt answered = responder.answer(record, envelope);
    if (answered instanceof Attempt.Done) {
      stats.answered();
      log.debug("Pong:{} answered {}", envelope.body().sessionId(), PingRecords.position(record));
    }
    return answered;
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

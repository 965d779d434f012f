package dev.kafkaping.client;

import dev.kafkaping.message.Ping;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.tracing.EnvelopeContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a ping looks like on the ping topic: keyed by its session id, its value the envelope, which
 * carries the trace context too, as the original's did, in both {@code traceparent} and {@code
 * uber-trace-id} form so that the original server reads it. Under a reply convention the record
 * also names the pong topic as the reply topic, and its value may be the user's payload instead.
 */
final class PingRecords {
  private final String pingTopic;
  private final String pongTopic;
  private final PingWire wire;
  private final Optional<RequestReply> requestReply;

  PingRecords(
      String pingTopic, String pongTopic, PingWire wire, Optional<RequestReply> requestReply) {
    this.pingTopic = pingTopic;
    this.pongTopic = pongTopic;
    this.wire = wire;
    this.requestReply = requestReply;
  }

  /** The ping's record, inside the send span of {@code context}. */
  ProducerRecord<byte[], byte[]> of(Ping ping, Context context) {
    byte[] key = ping.sessionId().toString().getBytes(StandardCharsets.UTF_8);
    if (requestReply.isEmpty()) {
      return new ProducerRecord<>(pingTopic, key, envelope(ping, context));
    }
    ProducerRecord<byte[], byte[]> request =
        new ProducerRecord<>(
            pingTopic, key, requestReply.get().value(() -> envelope(ping, context)));
    requestReply.get().addRequestHeaders(request.headers(), pongTopic, ping.sessionId());
    Span.fromContext(context)
        .setAttribute(RequestReply.CONVERSATION_ID, ping.sessionId().toString());
    return request;
  }

  private byte[] envelope(Ping ping, Context context) {
    return wire.encode(new PingEnvelope(EnvelopeContext.fieldsOf(context), ping));
  }
}

package dev.kafkaping.client;

import dev.kafkaping.reply.ReplyConvention;
import io.opentelemetry.api.common.AttributeKey;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;

/**
 * Pinging any request/reply service ({@code --reply-convention}): each ping carries the
 * convention's headers and its own correlation id, and a reply is recognised by that id alone,
 * whatever its body.
 *
 * <p>The correlation id is the session id in the form the convention's own client uses (Spring: the
 * UUID's 16 bytes; SmallRye: its 36 characters), so that a reply's header leads straight back to
 * the waiting session: one id per round trip, in the record key, the header and the trace.
 *
 * @param payload the request value; without it, the ping envelope
 */
record RequestReply(ReplyConvention convention, Optional<Payload> payload) {
  /** The semantic conventions' name for a correlation id, on the send and process spans. */
  static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("messaging.message.conversation_id");

  RequestReply {
    Objects.requireNonNull(convention, "convention");
    Objects.requireNonNull(payload, "payload");
  }

  byte[] correlationId(UUID sessionId) {
    return convention.correlationId(sessionId);
  }

  /** The session whose correlation id this is; empty when no ping of ours can have sent it. */
  Optional<UUID> sessionId(byte[] correlationId) {
    return convention.uuidOf(correlationId);
  }

  /**
   * Asks for the reply on {@code replyTopic}. No reply partition: the listener reads every
   * partition of the reply topic, so the service may pick any.
   */
  void addRequestHeaders(Headers headers, String replyTopic, UUID sessionId) {
    convention.addRequestHeaders(headers, replyTopic, correlationId(sessionId));
  }

  /** The request value: the payload, or the ping envelope when none was given. */
  byte[] value(Supplier<byte[]> envelope) {
    return payload.map(Payload::bytes).orElseGet(envelope);
  }
}

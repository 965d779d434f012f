package dev.kafkaping.server;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.reply.ReplyConvention;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.internals.Topic;

/**
 * Reads a ping's reply route from its headers. A reply topic is chosen by whoever may write to the
 * ping topic, so only topics matching {@code --reply-topics} are answered on, never the ping topic
 * itself or Kafka's internal ones; anything else, and malformed reply headers, are the ping's
 * fault.
 */
final class ReplyRoutes {
  /** Spring sends 16 bytes, SmallRye 36; anything this long is not an id. */
  static final int MAX_CORRELATION_BYTES = 256;

  private final Pattern allowed;
  private final String pingTopic;
  private final String pongTopic;

  ReplyRoutes(Pattern allowed, String pingTopic, String pongTopic) {
    this.allowed = allowed;
    this.pingTopic = pingTopic;
    this.pongTopic = pongTopic;
  }

  /** The server's own pong topic. */
  String pongTopic() {
    return pongTopic;
  }

  ReplyRoute of(Headers headers) throws MalformedMessageException {
    List<ReplyConvention> named = ReplyConvention.named(headers);
    if (named.isEmpty()) {
      return new ReplyRoute.PongTopic(pongTopic);
    }
    if (named.size() > 1) {
      throw new MalformedMessageException(
          "reply headers of both Spring and SmallRye: which one the requester reads is unknown");
    }
    ReplyConvention c = named.get(0);
    String topic = topic(c, headers.lastHeader(c.topicHeader()).value());
    byte[] correlationId = correlationId(c, headers.lastHeader(c.correlationHeader()));
    Optional<Integer> partition = partition(c, headers.lastHeader(c.partitionHeader()));
    return new ReplyRoute.RequestReply(c, topic, partition, correlationId);
  }

  private String topic(ReplyConvention c, byte[] value) throws MalformedMessageException {
    String topic;
    try {
      topic =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value == null ? new byte[0] : value))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException(c.topicHeader() + " is not UTF-8");
    }
    try {
      Topic.validate(topic);
    } catch (InvalidTopicException e) {
      throw new MalformedMessageException(
          c.topicHeader() + " '" + printable(topic) + "' is not a valid topic name");
    }
    if (topic.equals(pingTopic) || Topic.isInternal(topic) || !allowed.matcher(topic).matches()) {
      throw new MalformedMessageException(
          "reply topic '" + topic + "' is not allowed (--reply-topics " + allowed.pattern() + ")");
    }
    return topic;
  }

  private static byte[] correlationId(ReplyConvention c, Header header)
      throws MalformedMessageException {
    if (header == null || header.value() == null || header.value().length == 0) {
      throw new MalformedMessageException(
          c.topicHeader() + " without a " + c.correlationHeader() + " to answer with");
    }
    if (header.value().length > MAX_CORRELATION_BYTES) {
      throw new MalformedMessageException(
          c.correlationHeader()
              + " of "
              + header.value().length
              + " bytes (limit "
              + MAX_CORRELATION_BYTES
              + ")");
    }
    return header.value();
  }

  private static Optional<Integer> partition(ReplyConvention c, Header header)
      throws MalformedMessageException {
    if (header == null) {
      return Optional.empty();
    }
    if (header.value() == null || header.value().length != Integer.BYTES) {
      throw new MalformedMessageException(
          c.partitionHeader()
              + " must be a 4-byte big-endian int, got "
              + (header.value() == null ? 0 : header.value().length)
              + " bytes");
    }
    int partition = ByteBuffer.wrap(header.value()).getInt();
    if (partition < 0) {
      throw new MalformedMessageException(c.partitionHeader() + " " + partition + " is negative");
    }
    return Optional.of(partition);
  }

  private static String printable(String text) {
    String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}

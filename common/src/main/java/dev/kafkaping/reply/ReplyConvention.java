package dev.kafkaping.reply;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The header names request/reply frameworks put on a request: where to answer, and the id the
 * answer must carry back unchanged. Spring Kafka's {@code ReplyingKafkaTemplate} and
 * {@code @SendTo} ({@code KafkaHeaders}), and SmallRye's {@code KafkaRequestReply} (Quarkus) use
 * the same idea under different names; the reply topic is UTF-8, the partition a 4-byte big-endian
 * int.
 */
public enum ReplyConvention {
  SPRING("kafka_replyTopic", "kafka_correlationId", "kafka_replyPartition"),
  SMALLRYE("REPLY_TOPIC", "REPLY_CORRELATION_ID", "REPLY_PARTITION");

  private static final int UUID_BYTES = 16;
  private static final int UUID_CHARACTERS = 36;

  private final String topicHeader;
  private final String correlationHeader;
  private final String partitionHeader;

  ReplyConvention(String topicHeader, String correlationHeader, String partitionHeader) {
    this.topicHeader = topicHeader;
    this.correlationHeader = correlationHeader;
    this.partitionHeader = partitionHeader;
  }

  public String topicHeader() {
    return topicHeader;
  }

  public String correlationHeader() {
    return correlationHeader;
  }

  public String partitionHeader() {
    return partitionHeader;
  }

  /** The convention whose reply-topic header the record carries, if any (Spring's first). */
  public static Optional<ReplyConvention> of(Headers headers) {
    return named(headers).stream().findFirst();
  }

  /** Every convention whose reply-topic header the record carries (a well-formed one: one). */
  public static List<ReplyConvention> named(Headers headers) {
    return Arrays.stream(values()).filter(c -> headers.lastHeader(c.topicHeader) != null).toList();
  }

  /**
   * The correlation id for {@code id} as the convention's own client writes one: Spring's default
   * is the UUID's 16 raw bytes (most significant half first), SmallRye's its 36 characters.
   */
  public byte[] correlationId(UUID id) {
    return switch (this) {
      case SPRING ->
          ByteBuffer.allocate(UUID_BYTES)
              .putLong(id.getMostSignificantBits())
              .putLong(id.getLeastSignificantBits())
              .array();
      case SMALLRYE -> id.toString().getBytes(StandardCharsets.US_ASCII);
    };
  }

  /** A fresh correlation id, as the convention's own client makes one. */
  public byte[] newCorrelationId() {
    return correlationId(UUID.randomUUID());
  }

  /** The UUID a correlation id of {@link #correlationId(UUID)}'s form stands for, if it is one. */
  public Optional<UUID> uuidOf(byte[] correlationId) {
    return switch (this) {
      case SPRING -> {
        if (correlationId.length != UUID_BYTES) {
          yield Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(correlationId);
        yield Optional.of(new UUID(bytes.getLong(), bytes.getLong()));
      }
      case SMALLRYE -> {
        if (correlationId.length != UUID_CHARACTERS) {
          yield Optional.empty();
        }
        String text = new String(correlationId, StandardCharsets.US_ASCII);
        try {
          UUID id = UUID.fromString(text);
          // fromString also takes forms a UUID's toString() never writes, e.g. upper case.
          yield id.toString().equals(text) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException notAUuid) {
          yield Optional.empty();
        }
      }
    };
  }

  /** Adds the request headers: answer on {@code replyTopic}, carrying {@code correlationId}. */
  public void addRequestHeaders(Headers headers, String replyTopic, byte[] correlationId) {
    headers.add(topicHeader, replyTopic.getBytes(StandardCharsets.UTF_8));
    headers.add(correlationHeader, correlationId);
  }

  /** The correlation id a reply carries back, if it carries one. */
  public Optional<byte[]> correlationId(Headers headers) {
    return Optional.ofNullable(headers.lastHeader(correlationHeader)).map(Header::value);
  }
}

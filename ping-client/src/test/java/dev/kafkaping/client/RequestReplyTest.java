package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.reply.ReplyConvention;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestReplyTest {
  private static final UUID SESSION = UUID.fromString("12672f0f-007d-4e7c-b284-026c0c19c634");

  private static RequestReply under(ReplyConvention convention) {
    return new RequestReply(convention, Optional.empty());
  }

  @Test
  void shouldWriteTheSessionIdAsSpringsOwnClientWritesACorrelationIdWhenSpring() {
    byte[] id = under(ReplyConvention.SPRING).correlationId(SESSION);

    assertThat(id)
        .hasSameSizeAs(ReplyConvention.SPRING.newCorrelationId())
        .startsWith(0x12, 0x67, 0x2f, 0x0f)
        .endsWith(0x02, 0x6c, 0x0c, 0x19, 0xc6, 0x34);
  }

  @Test
  void shouldWriteTheSessionIdAsSmallRyesOwnClientWritesACorrelationIdWhenSmallRye() {
    byte[] id = under(ReplyConvention.SMALLRYE).correlationId(SESSION);

    assertThat(id).hasSameSizeAs(ReplyConvention.SMALLRYE.newCorrelationId());
    assertThat(new String(id, StandardCharsets.US_ASCII)).isEqualTo(SESSION.toString());
  }

  @ParameterizedTest
  @EnumSource(ReplyConvention.class)
  void shouldFindTheSessionWhenAReplyCarriesItsCorrelationIdBack(ReplyConvention convention) {
    RequestReply requestReply = under(convention);

    assertThat(requestReply.sessionId(requestReply.correlationId(SESSION))).contains(SESSION);
  }

  @ParameterizedTest
  @EnumSource(ReplyConvention.class)
  void shouldFindNoSessionWhenTheCorrelationIdIsNoneOfOurs(ReplyConvention convention) {
    RequestReply requestReply = under(convention);

    assertThat(requestReply.sessionId(new byte[0])).isEmpty();
    assertThat(requestReply.sessionId(ascii("7 bytes"))).isEmpty();
    assertThat(requestReply.sessionId(new byte[17])).isEmpty();
    assertThat(requestReply.sessionId(ascii(SESSION.toString().toUpperCase())))
        .as("a form our ids are never written in")
        .isEmpty();
    assertThat(requestReply.sessionId(ascii("x".repeat(36)))).isEmpty();
  }

  @Test
  void shouldNameTheReplyTopicAndTheCorrelationIdButNoPartitionWhenSpring() {
    RecordHeaders headers = new RecordHeaders();

    under(ReplyConvention.SPRING).addRequestHeaders(headers, "ping-replies", SESSION);

    assertThat(headers.lastHeader("kafka_replyTopic").value()).isEqualTo(ascii("ping-replies"));
    assertThat(headers.lastHeader("kafka_correlationId").value())
        .isEqualTo(under(ReplyConvention.SPRING).correlationId(SESSION));
    assertThat(headers.lastHeader("kafka_replyPartition")).isNull();
  }

  @Test
  void shouldNameTheReplyTopicAndTheCorrelationIdButNoPartitionWhenSmallRye() {
    RecordHeaders headers = new RecordHeaders();

    under(ReplyConvention.SMALLRYE).addRequestHeaders(headers, "ping-replies", SESSION);

    assertThat(headers.lastHeader("REPLY_TOPIC").value()).isEqualTo(ascii("ping-replies"));
    assertThat(headers.lastHeader("REPLY_CORRELATION_ID").value())
        .isEqualTo(ascii(SESSION.toString()));
    assertThat(headers.lastHeader("REPLY_PARTITION")).isNull();
  }

  @Test
  void shouldSendThePayloadWhenOneIsGivenAndTheEnvelopeOtherwise() {
    Payload hello = Payload.of("hello spring");

    assertThat(new RequestReply(ReplyConvention.SPRING, Optional.of(hello)).value(() -> null))
        .isEqualTo(ascii("hello spring"));
    assertThat(under(ReplyConvention.SPRING).value(() -> ascii("{envelope}")))
        .isEqualTo(ascii("{envelope}"));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}

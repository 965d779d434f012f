package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.reply.ReplyConvention;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplyRoutesTest {
  private final ReplyRoutes routes =
      new ReplyRoutes(Pattern.compile(PongServerConfig.DEFAULT_REPLY_TOPICS), "ping", "pong");
  private final byte[] id = ReplyConvention.SPRING.newCorrelationId();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldAnswerOnThePongTopicWhenThePingNamesNoReplyTopic() throws Exception {
    assertThat(routes.of(new RecordHeaders())).isEqualTo(new ReplyRoute.PongTopic("pong"));
  }

  @ParameterizedTest
  @EnumSource(ReplyConvention.class)
  void shouldReadTopicPartitionAndCorrelationIdWhenEitherConventionIsUsed(ReplyConvention c)
      throws Exception {
    Headers headers = new RecordHeaders();
    c.addRequestHeaders(headers, "ping-replies", id);
    headers.add(c.partitionHeader(), ByteBuffer.allocate(4).putInt(2).array());

    ReplyRoute route = routes.of(headers);

    assertThat(route)
        .isInstanceOfSatisfying(
            ReplyRoute.RequestReply.class,
            reply -> {
              assertThat(reply.convention()).isEqualTo(c);
              assertThat(reply.topic()).isEqualTo("ping-replies");
              assertThat(reply.partition()).contains(2);
              assertThat(reply.correlationId()).isEqualTo(id);
            });
  }

  @Test
  void shouldLeaveThePartitionToTheKeyWhenNoneIsNamed() throws Exception {
    Headers headers = new RecordHeaders();
    ReplyConvention.SMALLRYE.addRequestHeaders(headers, "kReplies", utf8("abc"));

    assertThat(((ReplyRoute.RequestReply) routes.of(headers)).partition())
        .isEqualTo(Optional.empty());
  }

  @Test
  void shouldRefuseATopicOutsideTheAllowedPattern() {
    assertMalformed(
        spring("orders", id),
        "reply topic 'orders' is not allowed (--reply-topics (?i).*repl(y|ies).*)");
  }

  @Test
  void shouldRefuseThePingTopicItselfAndInternalTopicsWhateverThePattern() {
    ReplyRoutes anything = new ReplyRoutes(Pattern.compile(".*"), "ping", "pong");
    assertThatThrownBy(() -> anything.of(spring("ping", id)))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> anything.of(spring("__consumer_offsets", id)))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void shouldRefuseAnInvalidTopicName() {
    assertMalformed(spring("bad replies!", id), "is not a valid topic name");
  }

  @Test
  void shouldRefuseATopicNameThatIsNotUtf8() {
    Headers headers = new RecordHeaders();
    headers.add("kafka_replyTopic", new byte[] {(byte) 0xC3, (byte) 0x28});
    headers.add("kafka_correlationId", id);
    assertMalformed(headers, "kafka_replyTopic is not UTF-8");
  }

  @Test
  void shouldRefuseAMissingEmptyOrOverlongCorrelationId() {
    Headers missing = new RecordHeaders();
    missing.add("kafka_replyTopic", utf8("replies"));
    assertMalformed(missing, "without a kafka_correlationId");
    assertMalformed(spring("replies", new byte[0]), "without a kafka_correlationId");
    assertMalformed(spring("replies", new byte[257]), "kafka_correlationId of 257 bytes");
  }

  @Test
  void shouldRefuseAPartitionThatIsNotFourBytesOrNegative() {
    Headers short1 = spring("replies", id);
    short1.add("kafka_replyPartition", new byte[] {0, 1});
    assertMalformed(short1, "kafka_replyPartition must be a 4-byte big-endian int, got 2 bytes");
    Headers negative = spring("replies", id);
    negative.add("kafka_replyPartition", ByteBuffer.allocate(4).putInt(-1).array());
    assertMalformed(negative, "kafka_replyPartition -1 is negative");
  }

  private Headers spring(String topic, byte[] correlationId) {
    Headers headers = new RecordHeaders();
    ReplyConvention.SPRING.addRequestHeaders(headers, topic, correlationId);
    return headers;
  }

  private void assertMalformed(Headers headers, String reason) {
    assertThatThrownBy(() -> routes.of(headers))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(reason);
  }
}

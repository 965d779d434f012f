package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.reply.ReplyConvention;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CorrelationMatcherTest {
  private static final RequestReply SPRING =
      new RequestReply(ReplyConvention.SPRING, Optional.empty());

  private final CorrelationMatcher matcher = new CorrelationMatcher(SPRING);
  private final UUID sessionId = UUID.randomUUID();

  @Test
  void shouldFindTheSessionByTheCorrelationHeaderWhateverTheBody() {
    ConsumerRecord<byte[], byte[]> reply = reply("HELLO SPRING");
    reply.headers().add("kafka_correlationId", SPRING.correlationId(sessionId));

    assertThat(matcher.sessionOf(reply)).contains(sessionId);
  }

  @Test
  void shouldIgnoreAReplyWhenItHasNoCorrelationHeaderEvenIfItsBodyIsOurPong() {
    ConsumerRecord<byte[], byte[]> pong =
        new ConsumerRecord<>("pong", 0, 1, null, WireCodec.encodePong(new Pong(sessionId)));

    assertThat(matcher.sessionOf(pong)).isEmpty();
  }

  @Test
  void shouldIgnoreAReplyWhenItsCorrelationIdCannotBeOneOfOurs() {
    ConsumerRecord<byte[], byte[]> reply = reply("hi");
    reply.headers().add("kafka_correlationId", "short".getBytes(StandardCharsets.US_ASCII));

    assertThat(matcher.sessionOf(reply)).isEmpty();
  }

  @Test
  void shouldReadOnlyItsOwnConventionsHeaderWhenAnotherOneIsThere() {
    ConsumerRecord<byte[], byte[]> reply = reply("hi");
    reply
        .headers()
        .add("REPLY_CORRELATION_ID", sessionId.toString().getBytes(StandardCharsets.US_ASCII));

    assertThat(matcher.sessionOf(reply)).isEmpty();
  }

  private static ConsumerRecord<byte[], byte[]> reply(String value) {
    return new ConsumerRecord<>("pong", 1, 7, null, value.getBytes(StandardCharsets.UTF_8));
  }
}

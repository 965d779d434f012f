package dev.kafkaping.server;

import dev.kafkaping.reply.ReplyConvention;
import java.util.Optional;

/** Where a ping is answered. */
sealed interface ReplyRoute {
  /** The server's own pong topic, keyed by the session id: kafka-ping's clients. */
  record PongTopic(String topic) implements ReplyRoute {}

  /**
   * The reply topic (and partition) a request/reply client named in the ping's headers, the
   * correlation id copied back byte for byte under the same header, the request's key reused.
   */
  record RequestReply(
      ReplyConvention convention, String topic, Optional<Integer> partition, byte[] correlationId)
      implements ReplyRoute {}

  String topic();
}

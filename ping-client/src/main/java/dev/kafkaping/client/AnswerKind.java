package dev.kafkaping.client;

import java.util.Optional;

/**
 * What answers a ping, as the output names it: kafka-ping's pong, found by the session id in its
 * body, or (with {@code --reply-convention}) any service's reply, found by its correlation id.
 */
enum AnswerKind {
  PONG("pong", "session_id"),
  REPLY("reply", "correlation_id");

  private final String noun;
  private final String idField;

  AnswerKind(String noun, String idField) {
    this.noun = noun;
    this.idField = idField;
  }

  static AnswerKind of(Optional<RequestReply> requestReply) {
    return requestReply.isPresent() ? REPLY : PONG;
  }

  /** "pong" or "reply": the first word of a reply line and the JSON type of an answer. */
  String noun() {
    return noun;
  }

  /** The name under which a round trip's id is printed. */
  String idField() {
    return idField;
  }
}

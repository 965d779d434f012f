package dev.kafkaping.message;

import java.util.Objects;
import java.util.UUID;

/** The answer to a ping, carrying the same session id. */
public record Pong(UUID sessionId) {
  public Pong {
    Objects.requireNonNull(sessionId, "sessionId");
  }
}

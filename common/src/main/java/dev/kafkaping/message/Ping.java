package dev.kafkaping.message;

import java.util.Objects;
import java.util.UUID;

/** The body of a ping: which session is asking for a pong. */
public record Ping(UUID sessionId) {
  public Ping {
    Objects.requireNonNull(sessionId, "sessionId");
  }
}

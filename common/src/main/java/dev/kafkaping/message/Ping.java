package dev.kafkaping.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.UUID;

/** The body of a ping: which session is asking for a pong. */
public record Ping(@JsonProperty("session_id") UUID sessionId) {
  public Ping {
    Objects.requireNonNull(sessionId, "sessionId");
  }
}

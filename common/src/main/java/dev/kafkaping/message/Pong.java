package dev.kafkaping.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.UUID;

/** The answer to a ping, carrying the same session id. */
public record Pong(@JsonProperty("session_id") UUID sessionId) {
  public Pong {
    Objects.requireNonNull(sessionId, "sessionId");
  }
}

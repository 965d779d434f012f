package dev.kafkaping.message;

import java.util.Map;
import java.util.Objects;

/**
 * The value of a record on the ping topic: trace propagation fields beside the ping itself, as the
 * original POC wrote it ({@code {"context":{...},"body":{...}}}).
 */
public record PingEnvelope(Map<String, String> context, Ping body) {
  public PingEnvelope {
    context = Map.copyOf(context == null ? Map.of() : context);
    Objects.requireNonNull(body, "body");
  }

  public static PingEnvelope of(Ping ping) {
    return new PingEnvelope(Map.of(), ping);
  }
}

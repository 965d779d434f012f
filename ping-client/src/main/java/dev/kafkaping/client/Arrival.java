package dev.kafkaping.client;

import java.util.UUID;

/** A pong (or reply) that arrived, as it is printed: its ping's first, or a duplicate. */
sealed interface Arrival permits RoundTrip.Answered, DuplicatePong {
  int sequence();

  UUID sessionId();

  int partition();

  long offset();

  /** The size of its value. */
  int bytes();

  /** From handing the ping over to reading this pong. */
  double millis();

  /** The ping's trace, or null when tracing is disabled. */
  String traceId();
}

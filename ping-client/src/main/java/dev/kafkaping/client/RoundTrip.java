package dev.kafkaping.client;

import java.util.UUID;

/** What became of one ping, as it is reported. */
sealed interface RoundTrip extends PingResult {
  UUID sessionId();

  int sequence();

  /** The trace of this round trip, or null when tracing is disabled. */
  String traceId();

  /**
   * The pong arrived.
   *
   * @param bytes the size of its value
   */
  record Answered(
      int sequence,
      UUID sessionId,
      int partition,
      long offset,
      int bytes,
      double millis,
      String traceId)
      implements RoundTrip, Arrival {}

  /** No pong within the wait, the ping could not be sent, or the run was stopped first. */
  record Lost(int sequence, UUID sessionId, String reason, String traceId) implements RoundTrip {}
}

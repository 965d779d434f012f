package dev.kafkaping.client;

import dev.kafkaping.message.Ping;
import io.opentelemetry.context.Context;
import java.util.UUID;

/** The messages of the Ping state machine. */
sealed interface PingMessage {

  /** Emitted by {@link PingState} on entry: the ping to send. */
  record SendPing(Ping ping) implements PingMessage {}

  /**
   * The outbox is handing the ping to the producer now; the round trip is timed from {@code
   * sentNanos}. It always reaches the machine before the pong: it is delivered before the send.
   */
  record PingHandedOver(long sentNanos) implements PingMessage {}

  /** The ping could not be handed to the broker. */
  record PingSendFailed(Throwable error) implements PingMessage {}

  /** The pong listener stopped for good (e.g. not allowed to read the pong topic). */
  record ListenerFailed(RuntimeException error) implements PingMessage {}

  /**
   * A pong for this session arrived: kafka-ping's pong, or under a reply convention any reply that
   * carries the session's correlation id.
   *
   * @param bytes the size of the record's value
   */
  record PongReceived(
      UUID sessionId, int partition, long offset, int bytes, long receivedNanos, Context sender)
      implements PingMessage {}
}

package dev.kafkaping.server;

/** What became of one ping record; only the first two let its offset be committed. */
sealed interface Handled {
  /** The pong was sent and acknowledged by the broker. */
  record Answered() implements Handled {}

  /**
   * Not a valid ping: copied to the dead-letter topic, or ({@code copied} false), as a last resort
   * when the topic refuses even a copy without its bytes, only logged.
   */
  record DeadLettered(boolean copied) implements Handled {}

  /**
   * The schema registry is unavailable: the ping waits, uncommitted and without a slot, until a try
   * gets through.
   */
  record WaitingForRegistry(String reason) implements Handled {}

  /** Given up because the server stops or the partition moved: the next owner answers it. */
  record LeftUnanswered(String reason) implements Handled {}

  /** The handler itself failed (a bug): tried again while the partition is ours. */
  record Crashed(String reason) implements Handled {}

  /** Answering cannot go on at all (e.g. no WRITE permission): the server must stop. */
  record Fatal(Throwable error) implements Handled {}
}

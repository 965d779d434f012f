package dev.kafkaping.server;

/** The result of one try at a ping record. */
sealed interface Attempt {
  /** The record is dealt with: answered or dead-lettered. */
  record Done(Handled handled) implements Attempt {}

  /** Worth another try while the partition is ours (broker busy, leader moving, send timed out). */
  record Failed(String reason) implements Attempt {}

  /** The schema registry is unavailable: try again once it answers, without holding a slot. */
  record WaitingForRegistry(String reason) implements Attempt {}

  /** No try can succeed (authentication, authorisation). */
  record Fatal(Throwable error) implements Attempt {}
}

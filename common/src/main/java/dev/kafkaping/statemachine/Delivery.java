package dev.kafkaping.statemachine;

/** What a state made of a delivered message. */
public sealed interface Delivery {

  /** The state accepted the message. */
  record Delivered() implements Delivery {}

  /** The state does not expect this message now; the runner parks it and replays it later. */
  record Unexpected() implements Delivery {}

  /** The message makes the machine fail. */
  record Failed(String reason) implements Delivery {}
}

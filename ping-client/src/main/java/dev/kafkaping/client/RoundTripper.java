package dev.kafkaping.client;

import java.time.Duration;
import java.util.function.Consumer;

/** What {@link PingRun} needs from the Kafka side: round trips, a way to end them, duplicates. */
interface RoundTripper {

  /** Sends one ping and waits up to {@code wait} for its pong; blocks the calling thread. */
  PingResult ping(int sequence, Duration wait);

  /** Ends every round trip still waiting, and every one that starts from now on. */
  void stopAll();

  /** Where a second pong for an answered ping goes; set before the first ping. */
  void onDuplicate(Consumer<DuplicatePong> sink);
}

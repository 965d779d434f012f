package dev.kafkaping.client;

/** What one {@link Pinger#ping} came to: a round trip to report, or an error that ends the run. */
sealed interface PingResult permits RoundTrip, PingResult.Fatal {

  /**
   * Pinging cannot go on: the broker refused who we are or what we asked for, or the pong listener
   * stopped for good.
   *
   * @param operation the ACL operation concerned: WRITE (sending pings) or READ (reading pongs)
   */
  record Fatal(Throwable error, String operation) implements PingResult {}
}

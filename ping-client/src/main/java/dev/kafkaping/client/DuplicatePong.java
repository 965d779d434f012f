package dev.kafkaping.client;

import java.util.UUID;

/**
 * A pong for a ping of this run that was already answered (ping(8)'s "DUP!"): at-least-once
 * delivery on the server's side answered it again. It does not count as received.
 *
 * @param bytes the size of this copy's value
 * @param millis from handing the ping over to reading this copy of its pong
 * @param traceId the ping's trace, or null when tracing is disabled
 */
record DuplicatePong(
    int sequence,
    UUID sessionId,
    int partition,
    long offset,
    int bytes,
    double millis,
    String traceId)
    implements Arrival {}

package dev.kafkaping.client;

import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.UUID;

/**
 * The sessions of this run that got their pong, so that a second pong for one of them can be told
 * from another client's. Only the latest {@link #CAPACITY} are kept, as iputils keeps the latest
 * 2^16 sequence numbers for its duplicate check: a long run's memory stays bounded (some 12 MB when
 * full, about 180 bytes a session). Thread-safe.
 */
final class AnsweredSessions {
  static final int CAPACITY = 1 << 16;

  /** What a duplicate of the session's pong reports about its ping. */
  record Answered(int sequence, long sentNanos, String traceId) {}

  private final int capacity;
  private final SequencedMap<UUID, Answered> answered = new LinkedHashMap<>();

  AnsweredSessions() {
    this(CAPACITY);
  }

  AnsweredSessions(int capacity) {
    this.capacity = capacity;
  }

  synchronized void remember(UUID sessionId, Answered session) {
    answered.put(sessionId, session);
    if (answered.size() > capacity) {
      answered.pollFirstEntry();
    }
  }

  synchronized Optional<Answered> find(UUID sessionId) {
    return Optional.ofNullable(answered.get(sessionId));
  }
}

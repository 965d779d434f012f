package dev.kafkaping.avro;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Schema ids the registry said it has no Avro schema for, remembered briefly: records that keep
 * naming such an id cost one request per window instead of one each, and an id that a lagging
 * registry replica did not know yet is asked again soon.
 */
final class UnknownIds {
  static final int MAX_ENTRIES = 4096;

  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Map<Integer, Entry> ids = new ConcurrentHashMap<>();

  UnknownIds(Duration window, LongSupplier nanoClock) {
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Why the id is unknown, if the registry said so within the window. */
  Optional<String> reason(int id) {
    Entry entry = ids.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    if (nanoClock.getAsLong() - entry.untilNanos() >= 0) {
      ids.remove(id, entry);
      return Optional.empty();
    }
    return Optional.of(entry.reason());
  }

  void remember(int id, String reason) {
    long now = nanoClock.getAsLong();
    if (ids.size() >= MAX_ENTRIES) {
      ids.values().removeIf(entry -> now - entry.untilNanos() >= 0);
    }
    // Bounded: a flood of distinct random ids is not remembered beyond it, only asked about.
    if (ids.size() < MAX_ENTRIES) {
      ids.put(id, new Entry(reason, now + windowNanos));
    }
  }

  private record Entry(String reason, long untilNanos) {}
}

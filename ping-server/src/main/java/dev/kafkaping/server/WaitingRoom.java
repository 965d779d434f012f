package dev.kafkaping.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Pings that cannot be answered until the schema registry is back wait here, uncommitted, without
 * holding a slot, so that pings which need no registry (JSON) keep being answered meanwhile. One of
 * them at a time goes out again as a scout, less often the longer the outage lasts; when a scout
 * gets through, all the others follow. Used by the poll thread only.
 */
final class WaitingRoom {
  static final Duration FIRST_RETRY = Duration.ofMillis(500);
  static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final Deque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
  private final int capacity;
  private ConsumerRecord<byte[], byte[]> scout;
  private Duration retry = FIRST_RETRY;
  private long nextScout;

  /** At most {@code capacity} pings wait; a full room pauses consumption. */
  WaitingRoom(int capacity) {
    this.capacity = capacity;
  }

  /**
   * A ping whose try found the registry unavailable. A returning scout goes to the back, so that
   * one ping whose failure is its own cannot keep every other one waiting.
   */
  void admit(ConsumerRecord<byte[], byte[]> record, long nowNanos) {
    if (record == scout) {
      scout = null;
      waiting.addLast(record);
      retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
      nextScout = nowNanos + retry.toNanos();
    } else {
      if (waiting.isEmpty() && scout == null) {
        nextScout = nowNanos + retry.toNanos();
      }
      waiting.addLast(record);
    }
  }

  /** The oldest waiting ping, once it is time to try the registry again and no scout is out. */
  Optional<ConsumerRecord<byte[], byte[]>> scoutIfDue(long nowNanos) {
    if (scout != null || waiting.isEmpty() || nowNanos - nextScout < 0) {
      return Optional.empty();
    }
    scout = waiting.pollFirst();
    return Optional.of(scout);
  }

  /**
   * Every waiting ping, oldest first, when {@code record} was the scout and got through (the
   * registry is back); nothing otherwise.
   */
  List<ConsumerRecord<byte[], byte[]>> release(ConsumerRecord<byte[], byte[]> record) {
    if (record != scout) {
      return List.of();
    }
    scout = null;
    retry = FIRST_RETRY;
    List<ConsumerRecord<byte[], byte[]>> released = new ArrayList<>(waiting);
    waiting.clear();
    return released;
  }

  /** The scout ended some other way (stopped, moved away, crashed): the next one goes later. */
  void scoutGone(ConsumerRecord<byte[], byte[]> record) {
    if (record == scout) {
      scout = null;
    }
  }

  /** Forgets the pings of partitions that moved away: the next owner answers them. */
  void drop(Collection<TopicPartition> partitions) {
    waiting.removeIf(r -> partitions.contains(partitionOf(r)));
    if (scout != null && partitions.contains(partitionOf(scout))) {
      scout = null;
    }
  }

  void clear() {
    waiting.clear();
    scout = null;
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  boolean full() {
    return waiting.size() >= capacity;
  }

  int size() {
    return waiting.size();
  }
}

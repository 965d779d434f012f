package dev.kafkaping.server;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The commit protocol as pure state: which pings were started and finished, what may be committed
 * (everything below the first unfinished ping of a partition), what the broker has confirmed. No
 * Kafka I/O; used by the poll thread only.
 */
final class InFlightOffsets {
  /** One started ping; {@code ownership} tells a ping of an earlier ownership of the partition. */
  record Ticket(TopicPartition partition, long offset, long ownership) {}

  private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();
  private long ownerships;

  Ticket started(TopicPartition partition, long offset) {
    PartitionOffsets offsets =
        partitions.computeIfAbsent(partition, p -> new PartitionOffsets(++ownerships));
    offsets.pending.add(offset);
    offsets.next = Math.max(offsets.next, offset + 1);
    return new Ticket(partition, offset, offsets.ownership);
  }

  /** The ping was answered (or dead-lettered): it no longer holds back its partition's commits. */
  void finished(Ticket ticket) {
    PartitionOffsets offsets = partitions.get(ticket.partition());
    // A ticket of an earlier ownership: the partition moved away meanwhile and its offsets with it.
    if (offsets != null && offsets.ownership == ticket.ownership()) {
      offsets.pending.remove(ticket.offset());
    }
  }

  /** Started pings of this partition not yet finished, including any given up on. */
  int unfinished(TopicPartition partition) {
    PartitionOffsets offsets = partitions.get(partition);
    return offsets == null ? 0 : offsets.pending.size();
  }

  int unfinished() {
    return partitions.values().stream().mapToInt(offsets -> offsets.pending.size()).sum();
  }

  /**
   * Offsets worth an asynchronous commit: advanced past what the broker confirmed and not already
   * requested. They are marked requested; report the result with {@link #commitSucceeded} or {@link
   * #commitFailed}.
   */
  Map<TopicPartition, OffsetAndMetadata> startAsyncCommit() {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    partitions.forEach(
        (partition, offsets) -> {
          long committable = offsets.committable();
          if (committable > Math.max(offsets.committed, offsets.requested)) {
            offsets.requested = committable;
            commits.put(partition, new OffsetAndMetadata(committable));
          }
        });
    return commits;
  }

  /** Offsets of these partitions not yet confirmed, whether or not a commit is under way. */
  Map<TopicPartition, OffsetAndMetadata> unconfirmed(Collection<TopicPartition> which) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    for (TopicPartition partition : which) {
      PartitionOffsets offsets = partitions.get(partition);
      if (offsets != null && offsets.committable() > offsets.committed) {
        commits.put(partition, new OffsetAndMetadata(offsets.committable()));
      }
    }
    return commits;
  }

  Map<TopicPartition, OffsetAndMetadata> unconfirmed() {
    return unconfirmed(partitions.keySet());
  }

  /** The broker accepted these offsets. */
  void commitSucceeded(Map<TopicPartition, OffsetAndMetadata> commits) {
    commits.forEach(
        (partition, offset) -> {
          PartitionOffsets offsets = partitions.get(partition);
          if (offsets != null) {
            offsets.committed = Math.max(offsets.committed, offset.offset());
          }
        });
  }

  /** The broker did not take these offsets: they are committable again. */
  void commitFailed(Map<TopicPartition, OffsetAndMetadata> commits) {
    commits.forEach(
        (partition, offset) -> {
          PartitionOffsets offsets = partitions.get(partition);
          if (offsets != null && offsets.requested == offset.offset()) {
            offsets.requested = offsets.committed;
          }
        });
  }

  /** What the broker has confirmed for this partition, or -1. */
  long confirmed(TopicPartition partition) {
    PartitionOffsets offsets = partitions.get(partition);
    return offsets == null ? -1 : offsets.committed;
  }

  /** The partitions moved away: the next owner starts from what the broker has. */
  void forget(Collection<TopicPartition> moved) {
    moved.forEach(partitions::remove);
  }

  private static final class PartitionOffsets {
    private final long ownership;
    private final TreeSet<Long> pending = new TreeSet<>();
    private long next = -1; // one past the highest offset started
    private long committed = -1; // confirmed by the broker
    private long requested = -1; // sent in an asynchronous commit, not yet confirmed

    PartitionOffsets(long ownership) {
      this.ownership = ownership;
    }

    long committable() {
      return pending.isEmpty() ? next : pending.first();
    }
  }
}

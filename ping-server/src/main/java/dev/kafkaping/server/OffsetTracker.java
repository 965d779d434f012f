package dev.kafkaping.server;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition are safe to commit: everything below the lowest offset that is
 * still being answered. Used by the poll-loop thread only.
 */
final class OffsetTracker {
  private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

  void started(TopicPartition partition, long offset) {
    partitions.computeIfAbsent(partition, p -> new PartitionOffsets()).started(offset);
  }

  void finished(TopicPartition partition, long offset) {
    PartitionOffsets offsets = partitions.get(partition);
    if (offsets != null) {
      offsets.pending.remove(offset); // absent when the partition was revoked meanwhile
    }
  }

  int pending(TopicPartition partition) {
    PartitionOffsets offsets = partitions.get(partition);
    return offsets == null ? 0 : offsets.pending.size();
  }

  /** Offsets that advanced since the last call, marked as committed. */
  Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    partitions.forEach(
        (partition, offsets) -> {
          long committable = offsets.committable();
          if (committable > offsets.committed) {
            offsets.committed = committable;
            commits.put(partition, new OffsetAndMetadata(committable));
          }
        });
    return commits;
  }

  void forget(TopicPartition partition) {
    partitions.remove(partition);
  }

  private static final class PartitionOffsets {
    private final TreeSet<Long> pending = new TreeSet<>();
    private long next = -1; // one past the highest offset seen
    private long committed = -1;

    void started(long offset) {
      pending.add(offset);
      next = Math.max(next, offset + 1);
    }

    long committable() {
      return pending.isEmpty() ? next : pending.first();
    }
  }
}

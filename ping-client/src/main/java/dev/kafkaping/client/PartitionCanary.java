package dev.kafkaping.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code --every-partition}: ping n goes to partition (n - 1) mod N of the ping topic, and its pong
 * to the same partition of the pong topic. Both are keyed by the session id, so the session id is
 * drawn until Kafka's default partitioner (murmur2 of the key, modulo the partition count) puts it
 * there: nothing else changes on the wire, and any pong server routes the pong the same way. Keeps
 * the round trips of each partition apart, with the partition's leader.
 */
final class PartitionCanary {
  /** One partition's statistics, and the broker that leads it in the ping topic now. */
  record PartitionSummary(int partition, OptionalInt leader, Statistics.Summary statistics) {}

  private final int partitions;
  private final IntFunction<OptionalInt> leaderOf;
  private final List<Statistics> statistics = new ArrayList<>();
  private final List<AtomicInteger> sent = new ArrayList<>();

  /** {@code leaderOf}: the broker id leading a partition of the ping topic, from metadata. */
  PartitionCanary(int partitions, IntFunction<OptionalInt> leaderOf) {
    if (partitions < 1) {
      throw new IllegalArgumentException("no partitions");
    }
    this.partitions = partitions;
    this.leaderOf = leaderOf;
    for (int i = 0; i < partitions; i++) {
      statistics.add(new Statistics());
      sent.add(new AtomicInteger());
    }
  }

  int partitions() {
    return partitions;
  }

  /**
   * The next sequence number of this partition's pings: partition + 1, then N more each time, so
   * that the partitions share the numbers 1, 2, 3, ... and ping n still goes to (n - 1) mod N.
   */
  int nextSequence(int partition) {
    return sent.get(partition).getAndIncrement() * partitions + partition + 1;
  }

  int partitionOf(int sequence) {
    return Math.floorMod(sequence - 1, partitions);
  }

  /** A fresh session id that Kafka's default partitioner puts on this ping's partition. */
  UUID sessionFor(int sequence) {
    int partition = partitionOf(sequence);
    while (true) {
      UUID session = UUID.randomUUID();
      if (partitionOfKey(session, partitions) == partition) {
        return session;
      }
    }
  }

  /** What Kafka's default partitioner does with a key: murmur2, made positive, modulo N. */
  static int partitionOfKey(UUID session, int partitions) {
    byte[] key = session.toString().getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  OptionalInt leaderOf(int partition) {
    return leaderOf.apply(partition);
  }

  void transmitted(int sequence) {
    statistics.get(partitionOf(sequence)).transmitted();
  }

  void received(int sequence, double millis) {
    statistics.get(partitionOf(sequence)).received(millis);
  }

  List<PartitionSummary> summary(double elapsedMillis) {
    List<PartitionSummary> summary = new ArrayList<>();
    for (int partition = 0; partition < partitions; partition++) {
      summary.add(
          new PartitionSummary(
              partition, leaderOf(partition), statistics.get(partition).summary(elapsedMillis)));
    }
    return summary;
  }
}

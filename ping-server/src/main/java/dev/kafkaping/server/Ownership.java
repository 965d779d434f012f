package dev.kafkaping.server;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions this server answers for, and whether it is stopping; written by the poll thread,
 * read by answering threads to decide whether a failed ping is still theirs to retry.
 */
final class Ownership {
  private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  boolean stillOurs(TopicPartition partition) {
    return !stopping && owned.contains(partition);
  }

  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  void take(Collection<TopicPartition> partitions) {
    owned.addAll(partitions);
  }

  void release(Collection<TopicPartition> partitions) {
    owned.removeAll(partitions);
  }
}

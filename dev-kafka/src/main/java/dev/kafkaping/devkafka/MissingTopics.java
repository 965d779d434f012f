package dev.kafkaping.devkafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that do not exist yet, for the single broker and the cluster alike; a topic
 * that someone else created meanwhile is no error. (The clients' own version lives in common, which
 * kafka-dev.jar does not carry.)
 */
final class MissingTopics {
  private MissingTopics() {}

  /** Creates those of {@code topics} that are missing, by {@code deadline} (a nanoTime). */
  static void create(Admin admin, List<NewTopic> topics, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> existing =
        admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS);
    List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
    for (var result : admin.createTopics(missing).values().values()) {
      try {
        result.get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }
}

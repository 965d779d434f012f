package dev.kafkaping.kafka;

import dev.kafkaping.cli.UserError;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates missing topics, tolerating other processes that create them at the same moment. */
public final class TopicSetup {
  private TopicSetup() {}

  public static List<NewTopic> topics(int partitions, String... names) {
    return java.util.Arrays.stream(names)
        .map(
            name ->
                new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty()))
        .toList();
  }

  /**
   * Creates the topics that do not exist yet. Throws the Kafka exception (timeout, authorisation)
   * when the broker cannot be asked; callers describe it with {@link KafkaErrors}.
   */
  public static void ensure(Admin admin, Collection<NewTopic> topics, Duration timeout)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    java.util.Set<String> existing =
        admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS);
    List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
    if (missing.isEmpty()) {
      return;
    }
    Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
    for (KafkaFuture<Void> result : results.values()) {
      try {
        result.get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthorizationException) {
          List<String> names = missing.stream().map(NewTopic::name).sorted().toList();
          throw new UserError(
              "not authorized: topic(s) "
                  + String.join(", ", names)
                  + " are missing or invisible to this user (needs DESCRIBE on them, or CREATE to"
                  + " create them)");
        }
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

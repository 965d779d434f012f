package dev.kafkaping.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks a request/reply client's reply topic before answering on it: a producer would wait a whole
 * budget for a topic that does not exist (or create it, on a broker that allows that), and fail the
 * send of a partition that does not exist. Partition counts are remembered for a minute.
 */
final class ReplyTopics {
  static final Duration REMEMBERED = Duration.ofMinutes(1);

  /** Whether a reply route can be answered on. */
  sealed interface Check {
    record Usable() implements Check {}

    /** The route names something that is not there or not ours: the ping's fault. */
    record Refused(String reason) implements Check {}

    /** The cluster did not answer in time: worth another try. */
    record Unsure(String reason) implements Check {}
  }

  private record Known(int partitions, long expires) {}

  private final Admin admin;
  private final Duration timeout;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Check>> describing = new ConcurrentHashMap<>();

  ReplyTopics(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  Check check(ReplyRoute.RequestReply route) {
    Known topic = known.get(route.topic());
    boolean fresh = false;
    if (topic == null || System.nanoTime() - topic.expires() > 0) {
      Check described = describeOnce(route.topic());
      if (!(described instanceof Check.Usable)) {
        return described;
      }
      topic = known.get(route.topic());
      fresh = true;
    }
    int partition = route.partition().orElse(0);
    if (partition >= topic.partitions() && !fresh) {
      // Partitions may have been added since the count was remembered: ask before refusing.
      known.remove(route.topic());
      return check(route);
    }
    if (partition >= topic.partitions()) {
      return new Check.Refused(
          route.convention().partitionHeader()
              + " "
              + partition
              + " does not exist: reply topic '"
              + route.topic()
              + "' has "
              + topic.partitions()
              + " partition(s)");
    }
    return new Check.Usable();
  }

  /** One describe per topic at a time, however many pings ask for it at once. */
  private Check describeOnce(String topic) {
    CompletableFuture<Check> mine = new CompletableFuture<>();
    CompletableFuture<Check> running = describing.putIfAbsent(topic, mine);
    if (running != null) {
      return running.join();
    }
    try {
      Check check = describe(topic);
      mine.complete(check);
      return check;
    } finally {
      describing.remove(topic, mine);
      mine.complete(new Check.Unsure("describe of reply topic '" + topic + "' failed"));
    }
  }

  private Check describe(String topic) {
    try {
      TopicDescription description =
          admin
              .describeTopics(
                  List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
              .topicNameValues()
              .get(topic)
              .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      known.put(
          topic,
          new Known(description.partitions().size(), System.nanoTime() + REMEMBERED.toNanos()));
      return new Check.Usable();
    } catch (ExecutionException e) {
      return switch (e.getCause()) {
        case UnknownTopicOrPartitionException unknown ->
            new Check.Refused("reply topic '" + topic + "' does not exist");
        case AuthorizationException denied ->
            new Check.Refused("not authorized to describe reply topic '" + topic + "'");
        default -> new Check.Unsure("cannot describe reply topic '" + topic + "': " + e.getCause());
      };
    } catch (TimeoutException e) {
      return new Check.Unsure("reply topic '" + topic + "' not described within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check.Unsure("interrupted");
    }
  }
}

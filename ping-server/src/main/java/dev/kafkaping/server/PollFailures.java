package dev.kafkaping.server;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * Tells poll errors that no retry can cure (Kafka documents them as needing the application to act)
 * from passing ones, and says in one line what the operator should do about them.
 */
final class PollFailures {
  private PollFailures() {}

  /** What to tell the operator when retrying {@code error} cannot help; empty when it may. */
  static Optional<String> nonRetriable(KafkaException error, String group) {
    return switch (error) {
      case NoOffsetForPartitionException e ->
          Optional.of(
              "no committed offset for "
                  + partitions(e.partitions())
                  + " in group '"
                  + group
                  + "' and auto.offset.reset is none: commit a starting offset"
                  + " (kafka-consumer-groups.sh --reset-offsets) or drop -X"
                  + " auto.offset.reset=none");
      case OffsetOutOfRangeException e ->
          Optional.of(
              "the committed offset of "
                  + partitions(e.offsetOutOfRangePartitions().keySet())
                  + " in group '"
                  + group
                  + "' is no longer on the broker (retention deleted those pings) and"
                  + " auto.offset.reset is none: reset the group's offsets"
                  + " (kafka-consumer-groups.sh --reset-offsets) or drop -X"
                  + " auto.offset.reset=none");
      default ->
          corruption(error)
              .map(
                  corrupt ->
                      "a corrupt record on the ping topic cannot be read ("
                          + corrupt
                          + "): move group '"
                          + group
                          + "' past it (kafka-consumer-groups.sh --reset-offsets --shift-by 1)");
    };
  }

  private static Optional<String> corruption(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof CorruptRecordException) {
        return Optional.of(firstLine(error.getMessage()));
      }
    }
    return Optional.empty();
  }

  private static String partitions(Collection<TopicPartition> partitions) {
    return partitions.stream()
        .map(TopicPartition::toString)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}

package dev.kafkaping.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/** Polls the broker (with deadlines) for consumer-group facts that tests wait on. */
final class Groups {
  private Groups() {}

  static void awaitStableWithMembers(String bootstrap, String group, int members, Duration timeout)
      throws Exception {
    try (Admin admin = admin(bootstrap)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        ConsumerGroupDescription description =
            admin
                .describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(10, TimeUnit.SECONDS);
        boolean everyoneHasWork =
            description.members().stream()
                .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        if (description.groupState() == GroupState.STABLE
            && description.members().size() == members
            && everyoneHasWork) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "group " + group + " not stable with " + members + " members: " + description);
        }
        TimeUnit.MILLISECONDS.sleep(100); // polling interval of a deadline-bounded wait
      }
    }
  }

  /** Waits until the group has committed every ping on the topic, i.e. everything is answered. */
  static void awaitCommittedToEnd(String bootstrap, String group, String topic, Duration timeout)
      throws Exception {
    try (Admin admin = admin(bootstrap)) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> ends =
          admin
              .listOffsets(
                  partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
              .all()
              .get()
              .entrySet()
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done =
            partitions.stream()
                .allMatch(
                    p ->
                        committed.get(p) == null
                            ? ends.get(p) == 0
                            : committed.get(p).offset() >= ends.get(p));
        if (done) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "group " + group + " committed " + committed + ", end offsets " + ends);
        }
        TimeUnit.MILLISECONDS.sleep(100); // polling interval of a deadline-bounded wait
      }
    }
  }

  /** Pings on the topic above the group's committed offsets: those it may answer again. */
  static long uncommitted(String bootstrap, String group, String topic) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      Map<TopicPartition, Long> ends = endOffsets(admin, topic);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return ends.entrySet().stream()
          .mapToLong(
              end ->
                  end.getValue()
                      - (committed.get(end.getKey()) == null
                          ? 0
                          : committed.get(end.getKey()).offset()))
          .sum();
    }
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
    List<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    return admin
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
        .all()
        .get()
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}

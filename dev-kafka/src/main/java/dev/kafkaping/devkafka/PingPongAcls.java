package dev.kafkaping.devkafka;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs that let users run both ping and pong with their default topics and consumer group.
 * Topics exist before these are granted, so no CREATE; READ and WRITE imply DESCRIBE, which topic
 * metadata, offset look-ups and ping's responder check (it describes the group) need. The
 * idempotent producers need no cluster ACL: WRITE on a topic allows their producer id.
 *
 * @param users the SCRAM users to grant them to
 * @param topics the topics kafka-dev creates: ping reads and writes some, pong others
 */
record PingPongAcls(List<String> users, List<String> topics) {
  /** pong's default {@code --group}, which ping's responder check describes. */
  static final String SERVER_GROUP = "pong-server";

  private static final List<AclOperation> TOPIC_OPERATIONS =
      List.of(AclOperation.READ, AclOperation.WRITE);
  private static final List<AclOperation> GROUP_OPERATIONS = List.of(AclOperation.READ);

  PingPongAcls {
    users = List.copyOf(users);
    topics = List.copyOf(topics);
  }

  List<AclBinding> bindings() {
    List<AclBinding> bindings = new ArrayList<>();
    for (String user : users) {
      for (String topic : topics) {
        for (AclOperation operation : TOPIC_OPERATIONS) {
          bindings.add(allow(user, ResourceType.TOPIC, topic, operation));
        }
      }
      for (AclOperation operation : GROUP_OPERATIONS) {
        bindings.add(allow(user, ResourceType.GROUP, SERVER_GROUP, operation));
      }
    }
    return bindings;
  }

  /** What {@link #bindings()} grants, as one line. */
  String summary() {
    return "Granted "
        + String.join(", ", users)
        + " (ping and pong): "
        + names(TOPIC_OPERATIONS)
        + " on topics "
        + String.join(", ", topics)
        + "; "
        + names(GROUP_OPERATIONS)
        + " on group "
        + SERVER_GROUP;
  }

  private static String names(List<AclOperation> operations) {
    return operations.stream().map(AclOperation::name).collect(Collectors.joining(", "));
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }
}

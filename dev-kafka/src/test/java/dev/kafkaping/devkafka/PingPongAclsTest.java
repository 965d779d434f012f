package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

class PingPongAclsTest {
  private final PingPongAcls acls =
      new PingPongAcls(List.of("alice", "bob"), BrokerSettings.DEFAULT_TOPICS);

  @Test
  void shouldGrantReadAndWriteOnEveryTopicAndReadOnTheServersGroupWhenGivenUsers() {
    assertThat(acls.bindings().stream().map(PingPongAclsTest::describe))
        .containsExactly(
            "alice TOPIC ping READ",
            "alice TOPIC ping WRITE",
            "alice TOPIC pong READ",
            "alice TOPIC pong WRITE",
            "alice TOPIC ping.DLT READ",
            "alice TOPIC ping.DLT WRITE",
            "alice GROUP pong-server READ",
            "bob TOPIC ping READ",
            "bob TOPIC ping WRITE",
            "bob TOPIC pong READ",
            "bob TOPIC pong WRITE",
            "bob TOPIC ping.DLT READ",
            "bob TOPIC ping.DLT WRITE",
            "bob GROUP pong-server READ");
    assertThat(acls.bindings())
        .allSatisfy(
            binding -> {
              assertThat(binding.pattern().patternType()).isEqualTo(PatternType.LITERAL);
              assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
              assertThat(binding.entry().host()).isEqualTo("*");
            });
  }

  @Test
  void shouldSummariseWhatItGrantsInOneLineWhenAsked() {
    assertThat(acls.summary())
        .isEqualTo(
            "Granted alice, bob (ping and pong): READ, WRITE on topics ping, pong, ping.DLT;"
                + " READ on group pong-server");
  }

  private static String describe(AclBinding binding) {
    return binding.entry().principal().substring("User:".length())
        + " "
        + binding.pattern().resourceType()
        + " "
        + binding.pattern().name()
        + " "
        + binding.entry().operation();
  }
}

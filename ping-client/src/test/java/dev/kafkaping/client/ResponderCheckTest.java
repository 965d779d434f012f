package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkaping.cli.UserError;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsResult;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The verdict of the responder check for each answer the broker may give (pure logic). */
class ResponderCheckTest {
  private static final Duration BOUND = Duration.ofSeconds(1);

  @Test
  void shouldSayNoServerIsRunningWhenTheGroupDoesNotExist() {
    UserError error =
        catchThrowableOfType(
            UserError.class,
            () ->
                ResponderCheck.requireMembers(
                    admin(failed(new GroupIdNotFoundException("gone"))), "pong-server", BOUND));

    assertThat(error.exitCode()).isEqualTo(1);
    assertThat(error)
        .hasMessage("no pong server is running (consumer group 'pong-server' has no members)");
  }

  @Test
  void shouldSayNoServerIsRunningWhenTheGroupHasNoMembers() {
    KafkaFutureImpl<ConsumerGroupDescription> empty = new KafkaFutureImpl<>();
    empty.complete(
        new ConsumerGroupDescription(
            "pong-server",
            false,
            List.of(),
            "",
            GroupType.CLASSIC,
            GroupState.EMPTY,
            new Node(1, "localhost", 9092),
            Set.of(),
            Optional.empty(),
            Optional.empty()));

    assertThat(
            catchThrowableOfType(
                UserError.class,
                () -> ResponderCheck.requireMembers(admin(empty), "pong-server", BOUND)))
        .isNotNull();
  }

  @Test
  void shouldSkipTheCheckWhenTheUserMayNotDescribeTheGroup() {
    assertThatCode(
            () ->
                ResponderCheck.requireMembers(
                    admin(failed(new GroupAuthorizationException("pong-server"))),
                    "pong-server",
                    BOUND))
        .doesNotThrowAnyException();
  }

  @Test
  @Timeout(10)
  void shouldSkipTheCheckAtItsBoundWhenTheBrokerDoesNotAnswer() {
    Duration bound = Duration.ofMillis(300);
    List<DescribeConsumerGroupsOptions> asked = new ArrayList<>();
    Admin silent = admin(new KafkaFutureImpl<>(), asked::add); // an answer that never comes

    long started = System.nanoTime();
    assertThatCode(() -> ResponderCheck.requireMembers(silent, "pong-server", bound))
        .doesNotThrowAnyException();

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(bound)
        .isLessThan(bound.plusSeconds(1));
    assertThat(asked).singleElement().extracting(options -> options.timeoutMs()).isEqualTo(300);
  }

  private static KafkaFuture<ConsumerGroupDescription> failed(Exception error) {
    KafkaFutureImpl<ConsumerGroupDescription> future = new KafkaFutureImpl<>();
    future.completeExceptionally(error);
    return future;
  }

  /** An Admin whose only working call is describeConsumerGroups, answering with {@code answer}. */
  private static Admin admin(KafkaFuture<ConsumerGroupDescription> answer) {
    return admin(answer, options -> {});
  }

  /** The same, handing the options of each describeConsumerGroups call to {@code asked}. */
  private static Admin admin(
      KafkaFuture<ConsumerGroupDescription> answer, Consumer<DescribeConsumerGroupsOptions> asked) {
    return (Admin)
        Proxy.newProxyInstance(
            Admin.class.getClassLoader(),
            new Class<?>[] {Admin.class},
            (proxy, method, args) -> {
              if (method.getName().equals("describeConsumerGroups")) {
                asked.accept((DescribeConsumerGroupsOptions) args[1]);
                return new DescribeConsumerGroupsResult(Map.of("pong-server", answer));
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}

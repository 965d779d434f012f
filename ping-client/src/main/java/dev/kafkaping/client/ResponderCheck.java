package dev.kafkaping.client;

import dev.kafkaping.cli.ExitCode;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks the broker whether the pong servers' consumer group has any members. */
final class ResponderCheck {
  private static final Logger log = LoggerFactory.getLogger(ResponderCheck.class);

  private ResponderCheck() {}

  /** Throws a {@link UserError} with exit code 1 when nobody is there to answer. */
  static void requireMembers(Admin admin, String group, Duration timeout)
      throws InterruptedException {
    ConsumerGroupDescription description;
    try {
      description =
          admin
              .describeConsumerGroups(
                  List.of(group),
                  new DescribeConsumerGroupsOptions().timeoutMs((int) timeout.toMillis()))
              .describedGroups()
              .get(group)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        throw noServer(group);
      }
      if (e.getCause() instanceof AuthorizationException) {
        log.debug("skipping the responder check, not allowed to describe group '{}'", group);
        return;
      }
      log.debug("skipping the responder check: {}", KafkaErrors.describe(e, ""));
      return;
    } catch (TimeoutException e) {
      log.debug("skipping the responder check, no answer within {} ms", timeout.toMillis());
      return;
    }
    if (description.members().isEmpty()) {
      throw noServer(group);
    }
  }

  private static UserError noServer(String group) {
    return new UserError(
        "no pong server is running (consumer group '" + group + "' has no members)",
        ExitCode.NO_REPLY);
  }
}

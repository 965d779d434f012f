package dev.kafkaping.kafka;

import dev.kafkaping.cli.CommandRunner;
import dev.kafkaping.cli.UserError;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/** Turns Kafka client exceptions into one line a user can act on. Never includes credentials. */
public final class KafkaErrors {
  private KafkaErrors() {}

  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * The one-line error for a failed setup step: our own {@link UserError} as it is, a timeout as
   * "cannot reach Kafka", anything else described by {@link #describe(Throwable, String)}.
   */
  public static UserError asUserError(Exception error, String bootstrapServers, Duration timeout) {
    Throwable cause = unwrap(error);
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new UserError("interrupted");
    }
    UserError mistake = CommandRunner.asUserError(cause);
    if (mistake != null) {
      return mistake;
    }
    return switch (cause) {
      case java.util.concurrent.TimeoutException e -> cannotReach(bootstrapServers, timeout);
      case TimeoutException e -> cannotReach(bootstrapServers, timeout);
      default -> new UserError(describe(cause, bootstrapServers));
    };
  }

  private static UserError cannotReach(String bootstrapServers, Duration timeout) {
    return new UserError(
        "cannot reach Kafka at " + bootstrapServers + " within " + timeout.toMillis() + " ms");
  }

  /** True when retrying cannot help: the broker refused who we are or what we asked for. */
  public static boolean isFatal(Throwable error) {
    Throwable cause = unwrap(error);
    return cause instanceof AuthenticationException || cause instanceof AuthorizationException;
  }

  public static String describe(Throwable error, String bootstrapServers) {
    return describe(error, bootstrapServers, "");
  }

  /**
   * Like {@link #describe(Throwable, String)}, naming the ACL operation that was refused (e.g.
   * "WRITE" for a producer, "READ" for a consumer) when the error is an authorisation failure.
   */
  public static String describe(Throwable error, String bootstrapServers, String operation) {
    Throwable cause = unwrap(error);
    String permission = operation.isEmpty() ? "permission" : operation + " permission";
    return switch (cause) {
      case AuthenticationException e ->
          "authentication failed at " + bootstrapServers + ": " + firstSentence(e.getMessage());
      case TopicAuthorizationException e when !e.unauthorizedTopics().isEmpty() ->
          "not authorized: missing "
              + permission
              + " on topic(s) "
              + String.join(", ", e.unauthorizedTopics().stream().sorted().toList());
      case GroupAuthorizationException e ->
          "not authorized: missing "
              + permission
              + " on consumer group "
              + (e.groupId() == null ? "" : "'" + e.groupId() + "'");
      case ClusterAuthorizationException e ->
          "not authorized: missing permission on the cluster ("
              + firstSentence(e.getMessage())
              + ")";
      case AuthorizationException e -> "not authorized: " + firstSentence(e.getMessage());
      case TimeoutException e ->
          "cannot reach Kafka at " + bootstrapServers + " (" + firstSentence(e.getMessage()) + ")";
      default -> cause.getClass().getSimpleName() + ": " + firstSentence(cause.getMessage());
    };
  }

  private static String firstSentence(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}

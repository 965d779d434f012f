package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.cli.CommandRunner;
import dev.kafkaping.cli.UserError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PongCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine commandLine = CommandRunner.commandLine(new PongCommand());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void shouldListEveryOptionWhenAskedForHelp() {
    assertThat(execute("--help")).isZero();
    assertThat(out.toString())
        .contains("Usage: pong")
        .contains("--bootstrap-server")
        .contains("--group")
        .contains("--budget")
        .contains("--max-in-flight")
        .contains("-X=KEY=VALUE");
  }

  @Test
  void shouldExitTwoWithAHintWhenAnArgumentIsWrong() {
    assertThat(execute("--budget", "forever")).isEqualTo(2);
    assertThat(err.toString())
        .contains("'forever' is not a duration")
        .contains("Try 'pong --help'");
  }

  @Test
  void shouldExitTwoWhenTopicsAreTheSame() {
    assertThat(execute("--ping-topic", "t", "--pong-topic", "t")).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("pong: --ping-topic and --pong-topic must differ");
  }

  @Test
  void shouldUseTheDocumentedDefaultsWhenNoOptionIsGiven() {
    PongCommand command = new PongCommand();

    CommandRunner.commandLine(command).parseArgs();

    assertThat(command.budget).isEqualTo(Duration.ofSeconds(5));
    assertThat(command.maxInFlight).isEqualTo(1000);
    assertThat(command.startupTimeout).isEqualTo(Duration.ofSeconds(10));
    assertThat(command.partitions).isEqualTo(3);
    assertThat(command.group).isEqualTo("pong-server");
    assertThat(command.pingTopic).isEqualTo("ping");
    assertThat(command.pongTopic).isEqualTo("pong");
    assertThat(command.replyTopics).isEqualTo("(?i).*repl(y|ies).*");
    Pattern replyTopics = PongServerConfig.replyTopicPattern(command.replyTopics);
    assertThat(List.of("spring-replies", "Reply.Topic", "orders.REPLY"))
        .allMatch(topic -> replyTopics.matcher(topic).matches());
    assertThat(List.of("pong", "ping", "repl", "orders"))
        .noneMatch(topic -> replyTopics.matcher(topic).matches());
    // No health endpoint unless asked for; when asked, on loopback.
    assertThat(command.healthPort).isNull();
    assertThat(PongServerConfig.healthAddress(command.healthPort, command.healthHost)).isEmpty();
    assertThat(command.healthHost).isEqualTo("127.0.0.1");
  }

  @Test
  void shouldRefuseAHealthPortOutsideTheRangeInOneLine() {
    assertThatThrownBy(() -> PongServerConfig.healthAddress(70000, "127.0.0.1"))
        .isInstanceOf(UserError.class)
        .hasMessage("--health-port must be between 0 and 65535, got 70000");
  }
}

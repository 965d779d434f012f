package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.cli.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
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
}

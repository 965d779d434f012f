package dev.kafkaping.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandRunnerTest {

  @Command(name = "demo")
  static final class Failing implements Callable<Integer> {
    final Exception error;

    Failing(Exception error) {
      this.error = error;
    }

    @Override
    public Integer call() throws Exception {
      throw error;
    }
  }

  private final StringWriter err = new StringWriter();

  private int run(Exception error) {
    CommandLine commandLine = CommandRunner.commandLine(new Failing(error));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute();
  }

  @Test
  void shouldPrintOneLineWhenKafkaRejectsASettingInsideAConstructorError() {
    int exit =
        run(
            new KafkaException(
                "Failed to construct kafka producer",
                new ConfigException("acks", "banana", "Invalid value")));

    assertThat(exit).isEqualTo(ExitCode.ERROR);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "demo: invalid Kafka client setting: Invalid value banana for configuration acks:"
                + " Invalid value");
  }

  @Test
  void shouldPrintOneLineWhenAnOtelVariableIsInvalid() {
    int exit = run(new ConfigurationException("Unrecognized value for otel.traces.sampler: bogus"));

    assertThat(exit).isEqualTo(ExitCode.ERROR);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "demo: invalid OpenTelemetry setting: Unrecognized value for otel.traces.sampler:"
                + " bogus");
  }

  @Test
  void shouldPrintAStackTraceWhenTheErrorIsABug() {
    int exit = run(new IllegalStateException("bug"));

    assertThat(exit).isEqualTo(ExitCode.ERROR);
    assertThat(err.toString()).contains("internal error, please report it").contains("at dev.");
  }
}

package dev.kafkaping.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConnectionOptionsTest {

  @Command(name = "demo", mixinStandardHelpOptions = true, version = "demo 1")
  static final class Demo implements Callable<Integer> {
    @Mixin ConnectionOptions connection;

    Demo(Map<String, String> env) {
      connection = new ConnectionOptions(env::get);
    }

    @Override
    public Integer call() {
      connection.toConnection();
      return ExitCode.OK;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private final Demo demo = new Demo(env);
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = CommandRunner.commandLine(demo);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void shouldNameTheValidLevelsAndExitTwoWhenTheLogLevelIsUnknown() {
    assertThat(run("--log-level", "bogus")).isEqualTo(ExitCode.ERROR);

    assertThat(err.toString().lines())
        .containsExactly(
            "demo: --log-level needs one of trace, debug, info, warn or error, got 'bogus'",
            "Try 'demo --help' for more information.");
  }

  @Test
  void shouldExitTwoWithOneLineNamingTheVariableWhenLogLevelNamesNoLevel() {
    env.put("LOG_LEVEL", "bogus");

    assertThat(run()).isEqualTo(ExitCode.ERROR);

    assertThat(err.toString().lines())
        .containsExactly(
            "demo: LOG_LEVEL needs one of trace, debug, info, warn or error, got 'bogus'");
  }

  @Test
  void shouldIgnoreABadLogLevelWhenTheOptionNamesTheLevel() {
    env.put("LOG_LEVEL", "bogus");

    assertThat(run("--log-level", "warn")).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldPrintHelpAndVersionWhenLogLevelNamesNoLevel() {
    env.put("LOG_LEVEL", "bogus");

    assertThat(run("--help")).isZero();
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).contains("--log-level=LEVEL").contains("demo 1");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldRunWhenLogLevelIsUnsetBlankOrALevelInAnyCase() {
    assertThat(run()).isZero();
    env.put("LOG_LEVEL", " ");
    assertThat(run()).isZero();
    env.put("LOG_LEVEL", "WARN");
    assertThat(run()).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldAcceptALevelInAnyCaseWhenGivenSeparatelyOrAfterAnEqualsSign() {
    assertThat(run("--log-level", "DEBUG")).isZero();
    assertThat(demo.connection.logLevel).isEqualTo("DEBUG");

    assertThat(run("--log-level=warn")).isZero();
    assertThat(demo.connection.logLevel).isEqualTo("warn");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldSayWhatItNeedsAndExitTwoWhenAnOverrideHasNoEqualsSign() {
    assertThat(run("-X", "foo")).isEqualTo(ExitCode.ERROR);

    assertThat(err.toString().lines())
        .containsExactly(
            "demo: -X needs KEY=VALUE, got 'foo'", "Try 'demo --help' for more information.");
  }

  @Test
  void shouldRefuseAnOverrideWhenItsKeyIsEmpty() {
    assertThat(run("-X", "=all")).isEqualTo(ExitCode.ERROR);

    assertThat(err.toString().lines()).first().isEqualTo("demo: -X needs KEY=VALUE, got '=all'");
  }

  @Test
  void shouldSplitAtTheFirstEqualsSignWhenOverridesAreGivenInEveryForm() {
    int exit = run("-X", "acks=all", "-Xlinger.ms=5", "-X=sasl.jaas.config=a=b", "-X", "empty=");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(demo.connection.overrides)
        .containsExactly(
            entry("acks", "all"),
            entry("linger.ms", "5"),
            entry("sasl.jaas.config", "a=b"),
            entry("empty", ""));
  }

  @Test
  void shouldNameTheOptionWhenItsValueIsMissing() {
    assertThat(run("-X")).isEqualTo(ExitCode.ERROR);

    assertThat(err.toString().lines())
        .first()
        .isEqualTo("demo: Missing required parameter for option '-X' (KEY=VALUE)");
  }

  @Test
  void shouldShowBothOptionsWithTheirLabelsWhenAskedForHelp() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString()).contains("-X=KEY=VALUE").contains("--log-level=LEVEL");
  }
}

package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.cli.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PingCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine commandLine = CommandRunner.commandLine(new PingCommand());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void shouldPrintUsageAndExitZeroWhenAskedForHelp() {
    assertThat(execute("--help")).isZero();
    assertThat(out.toString())
        .contains("Usage: ping")
        .contains("--count")
        .contains("--timeout")
        .contains("--command-config")
        .contains("Exit codes:")
        .contains("at least one pong arrived");
  }

  @Test
  void shouldExitTwoWithOneLineAndAHintWhenAnOptionIsUnknown() {
    assertThat(execute("--bogus")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "ping: Unknown option: '--bogus'", "Try 'ping --help' for more information.");
  }

  @Test
  void shouldExitTwoWhenACountIsNotANumber() {
    assertThat(execute("-c", "many")).isEqualTo(2);
    assertThat(err.toString()).contains("ping: Invalid value for option '--count'");
  }

  @Test
  void shouldExitTwoWhenATimeoutIsNotADuration() {
    assertThat(execute("-W", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' is not a duration");
  }

  @Test
  void shouldExitTwoWithoutStackTraceWhenTheCommandConfigIsUnreadable() {
    assertThat(execute("--command-config", "/nonexistent/client.properties")).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "ping: cannot read --command-config /nonexistent/client.properties: no such file");
  }

  @Test
  void shouldExitTwoWhenCountIsNegative() {
    assertThat(execute("-c", "-3")).isEqualTo(2);
    assertThat(err.toString()).contains("-c/--count must not be negative");
  }

  @Test
  void shouldListTheReplyConventionOptionsWhenAskedForHelp() {
    assertThat(execute("--help")).isZero();
    assertThat(out.toString())
        .contains("--reply-convention=spring|smallrye")
        .contains("--payload=TEXT|@FILE");
  }

  @Test
  void shouldExitTwoWithOneLineWhenThePayloadFileIsMissing() {
    assertThat(execute("--reply-convention", "spring", "--payload", "@/nonexistent/request.json"))
        .isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("ping: cannot read --payload @/nonexistent/request.json: no such file");
  }

  @Test
  void shouldExitTwoWithOneLineWhenAPayloadIsGivenWithoutAReplyConvention() {
    assertThat(execute("--payload", "hello")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("ping: --payload needs --reply-convention spring or smallrye");
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheReplyConventionIsUnknown() {
    assertThat(execute("--reply-convention", "jms")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("ping: --reply-convention must be spring or smallrye, got 'jms'");
  }

  @Test
  void shouldExitTwoWithOneLineWhenAPayloadIsCombinedWithAvro() {
    assertThat(
            execute(
                "--reply-convention",
                "SmallRye",
                "--payload",
                "hello",
                "--format",
                "avro",
                "--schema-registry",
                "http://localhost:8081"))
        .isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "ping: --payload is sent as it is: it cannot be combined with --format avro");
  }

  @Test
  void shouldSkipTheResponderCheckWithAReplyConventionUnlessTheServerGroupIsGiven() {
    assertThat(responderCheck()).isTrue();
    assertThat(responderCheck("--reply-convention", "spring")).isFalse();
    assertThat(responderCheck("--reply-convention", "spring", "--server-group", "svc")).isTrue();
    assertThat(
            responderCheck(
                "--reply-convention", "spring", "--server-group", "svc", "--no-responder-check"))
        .isFalse();
  }

  private static boolean responderCheck(String... args) {
    PingCommand command = new PingCommand();
    CommandRunner.commandLine(command).parseArgs(args);
    return command.responderCheck();
  }

  @Test
  void shouldPrintTheVersionWhenAsked() {
    assertThat(execute("--version")).isZero();
    assertThat(out.toString()).startsWith("ping ");
  }

  @Test
  void shouldUseTheDocumentedDefaultsWhenNoOptionIsGiven() {
    PingCommand command = new PingCommand();

    CommandRunner.commandLine(command).parseArgs();

    assertThat(command.timeout).isEqualTo(Duration.ofSeconds(15));
    assertThat(command.interval).isEqualTo(Duration.ofSeconds(1));
    // No -c and no -w: call() sends one ping (count null means 1, or 0 with a deadline).
    assertThat(command.count).isNull();
    assertThat(command.deadline).isNull();
    assertThat(command.inFlight).isEqualTo(1);
    assertThat(command.partitions).isEqualTo(3);
    assertThat(command.serverGroup).isEqualTo("pong-server");
    assertThat(command.pingTopic).isEqualTo("ping");
    assertThat(command.pongTopic).isEqualTo("pong");
    assertThat(command.format).isEqualTo("json");
    assertThat(command.responderCheck()).isTrue();
  }
}

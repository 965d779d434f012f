package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A wrong Kafka or OTEL_* setting is the user's mistake: one line, exit 2, on both commands. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class SettingErrorsIT {
  private static final Duration RUN = Duration.ofSeconds(60);

  private static JavaProcess start(
      Path jar, Wire wire, List<String> args, Map<String, String> env) {
    String name = jar.getFileName().toString().replace(".jar", "");
    List<String> all =
        jar.equals(Jars.PONG)
            ? wire.serverArgs(args.toArray(String[]::new))
            : wire.clientArgs(args.toArray(String[]::new));
    return JavaProcess.start(name, jar, all, env);
  }

  private static List<String> ourLines(JavaProcess process) {
    return process.stderr().stream().filter(line -> !line.startsWith("WARNING:")).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pong.jar", "ping.jar"})
  void shouldPrintOneLineAndExitTwoWhenAKafkaSettingIsInvalid(String jarName, KafkaBroker broker)
      throws Exception {
    Path jar = jarName.equals("pong.jar") ? Jars.PONG : Jars.PING;
    String command = jarName.replace(".jar", "");
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess process = start(jar, wire, List.of("-X", "acks=banana"), Map.of())) {
      assertThat(process.awaitExit(RUN)).isEqualTo(2);
      assertThat(ourLines(process))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith(command + ": invalid Kafka client setting:")
                      .contains("acks"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pong.jar", "ping.jar"})
  void shouldPrintOneLineAndExitTwoWhenAnOtelVariableIsInvalid(String jarName, KafkaBroker broker)
      throws Exception {
    Path jar = jarName.equals("pong.jar") ? Jars.PONG : Jars.PING;
    String command = jarName.replace(".jar", "");
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess process = start(jar, wire, List.of(), Map.of("OTEL_TRACES_SAMPLER", "bogus"))) {
      assertThat(process.awaitExit(RUN)).isEqualTo(2);
      assertThat(ourLines(process))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith(command + ": invalid OpenTelemetry setting:")
                      .contains("bogus"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pong.jar", "ping.jar"})
  void shouldExitTwoWithOneLineNamingTheVariableWhenLogLevelNamesNoLevel(
      String jarName, KafkaBroker broker) throws Exception {
    Path jar = jarName.equals("pong.jar") ? Jars.PONG : Jars.PING;
    String command = jarName.replace(".jar", "");
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess process = start(jar, wire, List.of(), Map.of("LOG_LEVEL", "bogus"))) {
      assertThat(process.awaitExit(RUN)).isEqualTo(2);
      assertThat(ourLines(process))
          .containsExactly(
              command + ": LOG_LEVEL needs one of trace, debug, info, warn or error, got 'bogus'");
      assertThat(process.stdout()).isEmpty();
    }
  }

  @Test
  void shouldAnswerWhenTheUserChoosesTheNewGroupProtocol(KafkaBroker broker) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server =
            JavaProcess.start(
                "pong-kip848",
                Jars.PONG,
                wire.serverArgs("-X", "group.protocol=consumer"),
                Map.of())) {
      server.awaitLine(line -> line.contains("partitions assigned"), RUN);
      wire.sendPings(3);

      Await.until("3 pongs", RUN, () -> Ledger.read(wire).answered() == 3);
      assertThat(Ledger.read(wire).duplicated()).isZero();
    }
  }

  @Test
  void shouldExitTwoWithWhatToDoWhenTheGroupHasNoOffsetAndNoResetPolicy(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server =
            JavaProcess.start(
                "pong-noreset",
                Jars.PONG,
                wire.serverArgs("-X", "auto.offset.reset=none"),
                Map.of())) {
      // Retrying would leave a server that looks alive and answers nothing.
      assertThat(server.awaitExit(RUN)).isEqualTo(2);
      assertThat(server.ourStderr())
          .filteredOn(line -> line.startsWith("pong:"))
          .singleElement()
          .asString()
          .startsWith("pong: no committed offset for " + wire.pingTopic + "-")
          .contains("group '" + wire.group + "'")
          .contains("auto.offset.reset");
    }
  }
}

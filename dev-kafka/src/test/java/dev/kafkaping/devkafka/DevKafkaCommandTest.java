package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's answers that need no broker: everything here ends before one would start. */
class DevKafkaCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    // Installs no signal handlers: the test JVM keeps its own.
    CommandLine commandLine = DevKafkaCommand.commandLine(new DevKafkaCommand(onStop -> {}));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void shouldPrintItsVersionAndTheJavaVersionWhenAskedForTheVersion() {
    assertThat(run("--version")).isZero();

    assertThat(out.toString().lines()).hasSize(2).last().isEqualTo("Java " + Runtime.version());
    assertThat(out.toString()).startsWith("kafka-dev ");
  }

  @Test
  void shouldPrintOneLineAndExitTwoWhenTheDataDirIsInUse(@TempDir Path dataDir) throws Exception {
    try (DataDirLock held = DataDirLock.acquire(dataDir)) {
      int exit = run("--port", "0", "--data-dir", dataDir.toString());

      assertThat(exit).isEqualTo(2);
      assertThat(err.toString().lines())
          .containsExactly(
              "kafka-dev: "
                  + dataDir
                  + " is in use by another kafka-dev (pid "
                  + ProcessHandle.current().pid()
                  + ")");
      assertThat(out.toString()).isEmpty();
    }
  }

  @Test
  void shouldPrintOneLineAndLeaveTheDataDirUnformattedWhenThePortIsInUse(@TempDir Path dataDir)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int exit = run("--port", Integer.toString(port), "--data-dir", dataDir.toString());

      assertThat(exit).isEqualTo(2);
      assertThat(err.toString().lines())
          .containsExactly("kafka-dev: port " + port + " is already in use");
      assertThat(dataDir).isDirectoryNotContaining(path -> path.endsWith("meta.properties"));
    }
  }

  @Test
  void shouldPrintTheErrorAndAHintWhenAnOptionIsWrong() {
    int exit = run("--port", "ninety");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "kafka-dev: Invalid value for option '--port': 'ninety' is not an int",
            "Try 'kafka-dev --help' for more information.");
  }

  @Test
  void shouldPrintOneLineAndExitTwoWhenAllowPingPongComesWithoutSasl(@TempDir Path dataDir) {
    int exit = run("--port", "0", "--data-dir", dataDir.toString(), "--allow-ping-pong", "alice");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("kafka-dev: --allow-ping-pong needs --sasl");
    assertThat(out.toString()).isEmpty();
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldPrintOneLineAndExitTwoWhenAllowPingPongNamesNoUser(@TempDir Path dataDir) {
    int exit =
        run(
            "--port",
            "0",
            "--data-dir",
            dataDir.toString(),
            "--sasl",
            "--user",
            "alice=alice-secret",
            "--allow-ping-pong",
            "alice",
            "--allow-ping-pong",
            "bob");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "kafka-dev: --allow-ping-pong bob: no such user (add --user bob=PASSWORD)");
    assertThat(out.toString()).isEmpty();
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldPrintOneLineAndExitTwoWhenAllowPingPongNamesTheAdmin(@TempDir Path dataDir) {
    int exit =
        run(
            "--port",
            "0",
            "--data-dir",
            dataDir.toString(),
            "--sasl",
            "--allow-ping-pong",
            "admin");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "kafka-dev: --allow-ping-pong admin: 'admin' is the super user and needs no ACLs");
  }

  @Test
  void shouldPrintOneLineWhenThePortIsOutOfRange(@TempDir Path dataDir) {
    int exit = run("--port", "70000", "--data-dir", dataDir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("kafka-dev: port must be between 0 and 65535, got 70000");
  }

  @Test
  void shouldPrintOneLineAndExitTwoWhenTheBrokerCountIsNeitherOneNorThree(@TempDir Path dataDir) {
    int exit = run("--brokers", "2", "--port", "0", "--data-dir", dataDir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("kafka-dev: --brokers must be 1 or 3, got 2");
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldPrintOneLineAndExitTwoWhenSaslIsAskedOfACluster(@TempDir Path dataDir) {
    int exit = run("--brokers", "3", "--sasl", "--port", "0", "--data-dir", dataDir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("kafka-dev: --sasl works with one broker only");
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldRefuseToStartAClusterInASingleBrokersDataDir(@TempDir Path dataDir) throws Exception {
    Files.writeString(dataDir.resolve("meta.properties"), "node.id=1\n");

    int exit = run("--brokers", "3", "--port", "0", "--data-dir", dataDir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "kafka-dev: "
                + dataDir
                + " holds a single broker's data; give the cluster another --data-dir");
  }

  @Test
  void shouldRefuseToStartASingleBrokerInAClustersDataDir(@TempDir Path dataDir) throws Exception {
    Files.createDirectories(dataDir.resolve("node-1"));

    int exit = run("--port", "0", "--data-dir", dataDir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "kafka-dev: "
                + dataDir
                + " holds a cluster's data; give the single broker another --data-dir");
    assertThat(dataDir).isDirectoryNotContaining(path -> path.endsWith("meta.properties"));
  }
}

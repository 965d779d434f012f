package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-dev.jar started twice on one data dir or one port: the second refuses in one line before it
 * formats, reads or starts anything, and the first broker goes on as if nothing had happened.
 */
class DevKafkaIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration REFUSAL = Duration.ofSeconds(60);

  @Test
  void shouldRefuseASecondBrokerOnTheSameDataDirOrPortAndKeepTheFirstOneServing(@TempDir Path tmp)
      throws Exception {
    Path dataDir = tmp.resolve("data");
    Path otherDir = tmp.resolve("other");
    int port = freePort();
    try (JavaProcess first = kafkaDev("kafka-dev-first", port, dataDir)) {
      first.awaitLine(line -> line.startsWith("Kafka ready at"), START);

      try (JavaProcess sameDir = kafkaDev("kafka-dev-same-dir", freePort(), dataDir)) {
        assertThat(sameDir.awaitExit(REFUSAL)).isEqualTo(2);
        assertThat(sameDir.allLines())
            .containsExactly(
                "kafka-dev: "
                    + dataDir
                    + " is in use by another kafka-dev (pid "
                    + first.pid()
                    + ")");
      }
      try (JavaProcess samePort = kafkaDev("kafka-dev-same-port", port, otherDir)) {
        assertThat(samePort.awaitExit(REFUSAL)).isEqualTo(2);
        assertThat(samePort.allLines())
            .containsExactly("kafka-dev: port " + port + " is already in use");
      }
      assertThat(otherDir.resolve("meta.properties")).doesNotExist();

      try (Wire wire = new Wire("127.0.0.1:" + port)) {
        wire.send(wire.pingTopic, bytes("key"), bytes("still serving"));
        assertThat(wire.readAll(wire.pingTopic))
            .extracting(record -> Wire.text(record.value()))
            .containsExactly("still serving");
      }

      long signalled = System.nanoTime();
      first.terminate();
      int exit = first.awaitExit(Duration.ofSeconds(60));
      Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);
      assertThat(exit).isZero();
      assertThat(stopping).isLessThan(Duration.ofSeconds(10));
      // JavaProcess runs the jar without bin/kafka-dev's flag, so the JVM's Unsafe warnings may
      // appear; anything else on stderr would be noise (LauncherIT checks the launcher is quiet).
      assertThat(first.ourStderr())
          .allSatisfy(line -> assertThat(line).contains("Performing controller activation"));
    }
  }

  private static JavaProcess kafkaDev(String name, int port, Path dataDir) {
    return JavaProcess.start(
        name,
        Jars.KAFKA_DEV,
        List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()),
        Map.of());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

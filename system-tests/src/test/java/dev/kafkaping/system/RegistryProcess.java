package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The development schema registry ({@code schema-registry-dev.jar}, Apicurio Registry) in its own
 * process, on a fixed port and data dir so that a test can stop it and start it again as it was.
 */
final class RegistryProcess implements AutoCloseable {
  private final int port;
  private final Path dataDir;
  private JavaProcess process;

  RegistryProcess(Path dataDir) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = socket.getLocalPort();
    }
    this.dataDir = dataDir;
  }

  int port() {
    return port;
  }

  Path dataDir() {
    return dataDir;
  }

  /** The Confluent-compatible API, as {@code --schema-registry} takes it. */
  String url() {
    return "http://localhost:" + port + "/apis/ccompat/v7";
  }

  void start() throws InterruptedException {
    process =
        JavaProcess.start(
            "schema-registry",
            List.of("-Xmx256m"),
            Jars.SCHEMA_REGISTRY,
            List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()),
            Map.of());
    try {
      process.awaitLine(
          line -> line.startsWith("Schema registry ready at " + url()), Duration.ofSeconds(90));
    } catch (AssertionError | InterruptedException e) {
      process.close(); // else it would outlive the tests, holding the port and the data dir
      throw e;
    }
  }

  /** SIGTERM, as an operator stops it; the stop is clean (exit 0). */
  void stop() throws InterruptedException {
    process.terminate();
    assertThat(process.awaitExit(Duration.ofSeconds(30)))
        .as(String.join("\n", process.allLines()))
        .isZero();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    }
  }
}

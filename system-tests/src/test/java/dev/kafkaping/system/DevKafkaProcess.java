package dev.kafkaping.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A dev-kafka broker in its own process, so that a test can kill it and start it again. */
final class DevKafkaProcess implements AutoCloseable {
  private final int port;
  private final Path dataDir;
  private JavaProcess process;

  DevKafkaProcess(Path dataDir) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = socket.getLocalPort();
    }
    this.dataDir = dataDir;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  void start() throws InterruptedException {
    process =
        JavaProcess.start(
            "kafka-dev",
            Jars.KAFKA_DEV,
            List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()),
            Map.of());
    process.awaitLine(line -> line.startsWith("Kafka ready at"), Duration.ofSeconds(90));
  }

  /** SIGKILL: no clean shutdown, as in a crash. */
  void kill() throws InterruptedException {
    process.kill();
    process.awaitExit(Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    }
  }
}

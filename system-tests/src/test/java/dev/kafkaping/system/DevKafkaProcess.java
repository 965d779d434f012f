package dev.kafkaping.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A dev-kafka broker in its own process, so that a test can kill it and start it again. */
final class DevKafkaProcess implements AutoCloseable {
  private final int port;
  private final Path dataDir;
  private final List<String> extraArgs;
  private JavaProcess process;
  private final List<JavaProcess> runs = new ArrayList<>();

  DevKafkaProcess(Path dataDir) throws IOException {
    this(dataDir, List.of());
  }

  /** With extra kafka-dev.jar arguments, e.g. {@code --sasl --user alice=secret}. */
  DevKafkaProcess(Path dataDir, List<String> extraArgs) throws IOException {
    this.extraArgs = List.copyOf(extraArgs);
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = socket.getLocalPort();
    }
    this.dataDir = dataDir;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  void start() throws InterruptedException {
    process = JavaProcess.start("kafka-dev", Jars.KAFKA_DEV, args(), Map.of());
    runs.add(process);
    process.awaitLine(line -> line.startsWith("Kafka ready at"), Duration.ofSeconds(90));
  }

  private List<String> args() {
    List<String> args =
        new ArrayList<>(
            List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()));
    args.addAll(extraArgs);
    return args;
  }

  /** SIGKILL: no clean shutdown, as in a crash. */
  void kill() throws InterruptedException {
    process.kill();
    process.awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM, kafka-dev's documented clean stop; returns once the broker has exited. */
  void stop() throws InterruptedException {
    process.terminate();
    process.awaitExit(Duration.ofSeconds(60));
  }

  /** Every line the broker printed, over all its starts. */
  List<String> allLines() {
    List<String> lines = new ArrayList<>();
    runs.forEach(run -> lines.addAll(run.allLines()));
    return lines;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    }
  }
}

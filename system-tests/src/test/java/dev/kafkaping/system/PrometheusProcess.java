package dev.kafkaping.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A real Prometheus (Debian's {@code prometheus} package, which .ci/run installs) scraping the
 * given targets every second, asked through its own HTTP API.
 */
final class PrometheusProcess implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final JavaProcess process;
  private final int port;

  private PrometheusProcess(JavaProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts it with one scrape job per entry (job name → host:port) and waits until it is ready. */
  static PrometheusProcess start(Path dir, Map<String, String> jobs) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's prometheus (apt-get install prometheus)");
    }
    List<String> config = new ArrayList<>();
    config.add("global:");
    config.add("  scrape_interval: 1s");
    config.add("  scrape_timeout: 1s");
    config.add("scrape_configs:");
    jobs.forEach(
        (job, target) -> {
          config.add("  - job_name: " + job);
          config.add("    static_configs:");
          config.add("      - targets: ['" + target + "']");
        });
    Path file = dir.resolve("prometheus.yml");
    Files.write(file, config);
    int port = freePorts(1).get(0);
    JavaProcess process =
        JavaProcess.launch(
            "prometheus",
            List.of(
                BINARY.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port),
            Map.of());
    PrometheusProcess prometheus = new PrometheusProcess(process, port);
    try {
      Await.until("Prometheus ready", Duration.ofSeconds(60), prometheus::ready);
    } catch (AssertionError e) {
      process.close();
      throw new AssertionError(e.getMessage() + "; output:\n" + process.allLines(), e);
    }
    return prometheus;
  }

  /**
   * {@code count} distinct free ports, all held at once while chosen: probed one after another, the
   * kernel may hand out the same port twice.
   */
  static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The value of an instant query that yields one sample; empty when it yields none. */
  OptionalDouble query(String promql) {
    try {
      HttpResponse<String> response =
          get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      JsonNode body = JSON.readTree(response.body());
      if (!body.path("status").asText().equals("success")) {
        throw new AssertionError("Prometheus refused " + promql + ": " + response.body());
      }
      JsonNode result = body.path("data").path("result");
      if (result.isEmpty()) {
        return OptionalDouble.empty();
      }
      if (result.size() > 1) {
        throw new AssertionError(promql + " yields more than one sample: " + result);
      }
      return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the query yields {@code expected}; fails with the last value seen. */
  void awaitValue(String promql, double expected, Duration timeout) {
    try {
      Await.until(
          promql + " = " + expected,
          timeout,
          () -> {
            OptionalDouble value = query(promql);
            return value.isPresent() && value.getAsDouble() == expected;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (last: " + query(promql) + ")", e);
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.terminate();
    try {
      process.awaitExit(Duration.ofSeconds(30));
    } finally {
      process.close();
    }
  }
}

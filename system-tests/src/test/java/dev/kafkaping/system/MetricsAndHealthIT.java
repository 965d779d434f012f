package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics scraped by a real Prometheus from both commands, and pong's health endpoint while the
 * broker dies and comes back, and while its poll loop is stuck.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class MetricsAndHealthIT {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final Pattern HEALTH_LINE =
      Pattern.compile("health: http://127\\.0\\.0\\.1:(\\d+)/livez and /readyz");
  private static final Pattern RTT =
      Pattern.compile("rtt min/avg/max/mdev = ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static Map<String, String> prometheusExporter(int port) {
    return Map.of(
        "OTEL_METRICS_EXPORTER",
        "prometheus",
        "OTEL_EXPORTER_PROMETHEUS_HOST",
        "127.0.0.1",
        "OTEL_EXPORTER_PROMETHEUS_PORT",
        Integer.toString(port));
  }

  @Test
  void shouldGivePrometheusTheCountsAndDurationsOfFiftyRoundTrips(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    List<Integer> ports = PrometheusProcess.freePorts(2);
    int pongPort = ports.get(0);
    int pingPort = ports.get(1);
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", prometheusExporter(pongPort));
        PrometheusProcess prometheus =
            PrometheusProcess.start(
                dir, Map.of("pong", "127.0.0.1:" + pongPort, "ping", "127.0.0.1:" + pingPort))) {
      JavaProcess ping =
          JavaProcess.start(
              "ping",
              Jars.PING,
              wire.clientArgs("-c", "50", "-i", "0.2", "-q"),
              prometheusExporter(pingPort));
      try (ping) {
        // Scraped while it runs: ping ends when its 50 round trips are done.
        prometheus.awaitValue(
            "max_over_time(kafkaping_ping_sent_total{job=\"ping\"}[5m]) > bool 0", 1, RUN);
        // Each send's duration, from the hand-over to the broker's acknowledgement.
        prometheus.awaitValue(
            "max_over_time(messaging_client_operation_duration_seconds_count{job=\"ping\","
                + "messaging_operation_name=\"send\",messaging_destination_name=\""
                + wire.pingTopic
                + "\"}[5m]) > bool 0",
            1,
            RUN);
        assertThat(ping.awaitExit(RUN)).as(String.join("\n", ping.allLines())).isZero();
      }

      prometheus.awaitValue("kafkaping_pong_pongs_sent_total{job=\"pong\"}", 50, RUN);
      prometheus.awaitValue("kafkaping_pong_pings_received_total{job=\"pong\"}", 50, RUN);
      prometheus.awaitValue("sum(messaging_process_duration_seconds_count{job=\"pong\"})", 50, RUN);
      prometheus.awaitValue(
          "messaging_client_consumed_messages_total{job=\"pong\",messaging_system=\"kafka\","
              + "messaging_operation_name=\"poll\",messaging_destination_name=\""
              + wire.pingTopic
              + "\",messaging_consumer_group_name=\""
              + wire.group
              + "\"}",
          50,
          RUN);
      prometheus.awaitValue(
          "messaging_client_sent_messages_total{job=\"pong\",messaging_destination_name=\""
              + wire.pongTopic
              + "\"}",
          50,
          RUN);

      // The median of ping's round-trip histogram, as Prometheus estimates it from the buckets it
      // scraped: the estimate interpolates inside a bucket, so it lies within the buckets that
      // hold ping's own min and max, not always between those two.
      Matcher rtt = RTT.matcher(String.join("\n", ping.stdout()));
      assertThat(rtt.find()).as(ping.stdout().toString()).isTrue();
      double minSeconds = Double.parseDouble(rtt.group(1)) / 1000;
      double maxSeconds = Double.parseDouble(rtt.group(3)) / 1000;
      OptionalDouble median =
          prometheus.query(
              "histogram_quantile(0.5, sum by (le) (max_over_time("
                  + "kafkaping_ping_round_trip_duration_seconds_bucket{job=\"ping\"}[5m])))");
      assertThat(median).isPresent();
      assertThat(median.getAsDouble())
          .isBetween(bucketFloor(minSeconds), bucketCeiling(maxSeconds));
    }
  }

  private static double bucketFloor(double seconds) {
    return List.of(0.0, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0)
        .stream()
        .filter(bound -> bound <= seconds)
        .reduce((a, b) -> b)
        .orElse(0.0);
  }

  private static double bucketCeiling(double seconds) {
    return List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5)
        .stream()
        .filter(bound -> bound >= seconds)
        .findFirst()
        .orElse(Double.MAX_VALUE);
  }

  @Test
  void shouldGoNotReadyWithinTenSecondsOfTheBrokersDeathAndReadyAgainAfterItsReturn(
      @TempDir Path dataDir) throws Exception {
    try (DevKafkaProcess kafka = new DevKafkaProcess(dataDir)) {
      kafka.start();
      try (Wire wire = new Wire(kafka.bootstrapServers());
          JavaProcess server =
              JavaProcess.start(
                  "pong", Jars.PONG, wire.serverArgs("--health-port", "0"), Map.of())) {
        int port = healthPort(server);
        awaitStatus(port, "/readyz", 200, RUN);
        assertThat(get(port, "/livez").statusCode()).isEqualTo(200);

        kafka.kill();
        long killed = System.nanoTime();
        HttpResponse<String> notReady = awaitStatus(port, "/readyz", 503, Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        FailureTable.time("a killed broker: pong's /readyz turns 503", took);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(notReady.body())
            .startsWith("{\"status\":\"not ready\",\"reason\":\"the broker does not answer\"")
            .contains("\"broker\":\"lost\"");
        // A lost broker is not a reason to restart the server: it is still live.
        assertThat(get(port, "/livez").statusCode()).isEqualTo(200);

        kafka.start();
        awaitStatus(port, "/readyz", 200, RUN);
      }
    }
  }

  @Test
  void shouldGoNotLiveWhenItsPollLoopIsStuckOnAnErrorThatNeverGoesAway(KafkaBroker broker)
      throws Exception {
    // A deserializer that refuses every ping fails every poll at the same offset, for good.
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server =
            JavaProcess.start(
                "pong-stuck",
                Jars.PONG,
                wire.serverArgs(
                    "--health-port",
                    "0",
                    "-X",
                    "value.deserializer=org.apache.kafka.common.serialization.VoidDeserializer"),
                Map.of())) {
      int port = healthPort(server);
      awaitStatus(port, "/livez", 200, RUN);
      server.awaitLine(line -> line.contains("partitions assigned"), RUN);
      wire.sendPings(1);
      server.awaitLine(line -> line.contains("poll failed, retrying"), RUN);
      HttpResponse<String> stuck = awaitStatus(port, "/livez", 503, Duration.ofSeconds(40));
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
      assertThat(stuck.body())
          .startsWith("{\"status\":\"not live\",\"reason\":\"no successful poll for ");
    }
  }

  private static int healthPort(JavaProcess server) throws InterruptedException {
    Matcher matcher =
        HEALTH_LINE.matcher(server.awaitLine(line -> HEALTH_LINE.matcher(line).find(), RUN));
    assertThat(matcher.find()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static HttpResponse<String> awaitStatus(
      int port, String path, int status, Duration timeout) {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    Await.until(
        path + " answering " + status,
        timeout,
        () -> {
          try {
            last.set(get(port, path));
            return last.get().statusCode() == status;
          } catch (Exception e) {
            return false;
          }
        });
    return last.get();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PingClientIT {
  private static final Pattern REPLY =
      Pattern.compile("pong session_id=([0-9a-f-]{36}) partition=\\d+ time=(\\d+\\.\\d\\d) ms");

  /** pong's status line, not its last one ("stopped: …"). */
  private static final Pattern STATUS =
      Pattern.compile(
          "(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) INFO PongServer - pings received=(\\d+)"
              + " pongs sent=\\d+ in flight=\\d+ .*");

  /** A line of slf4j-simple as the client configures it: time, level, logger, message. */
  private static final Pattern LOG_LINE =
      Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) .*");

  private static final Duration RUN = Duration.ofSeconds(60);

  private static Wire wire;
  private static JavaProcess server;

  @BeforeAll
  static void startServer(KafkaBroker broker) throws Exception {
    wire = new Wire(broker.bootstrapServers());
    server = JavaProcess.start("pong", Jars.PONG, wire.serverArgs(), Map.of());
    server.awaitLine(line -> line.contains("partitions assigned"), Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
    wire.close();
  }

  private static JavaProcess ping(String name, List<String> args) {
    return JavaProcess.start(name, Jars.PING, args, Map.of());
  }

  @Test
  void shouldPrintOnePongAndExitZeroWhenRunOnce() throws Exception {
    try (JavaProcess ping = ping("ping", wire.clientArgs())) {
      assertThat(ping.awaitExit(RUN)).isZero();
      assertThat(ping.stdout()).singleElement().satisfies(line -> assertThat(line).matches(REPLY));
    }
  }

  @Test
  void shouldPrintTwentyRepliesAndACorrectSummaryWhenCountIsTwenty() throws Exception {
    try (JavaProcess ping = ping("ping-c20", wire.clientArgs("-c", "20", "-i", "0"))) {
      assertThat(ping.awaitExit(RUN)).isZero();
      List<String> out = ping.stdout();
      assertThat(out.stream().filter(line -> REPLY.matcher(line).matches())).hasSize(20);
      assertThat(out).contains("--- ping statistics ---");
      assertThat(out)
          .anyMatch(
              line -> line.matches("20 pings transmitted, 20 received, 0% loss, time \\d+ ms"));
      assertThat(out)
          .anyMatch(
              line -> line.matches("rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms"));
      assertThat(out)
          .anyMatch(line -> line.matches("rtt p50/p90/p99 = [0-9.]+/[0-9.]+/[0-9.]+ ms"));
    }
  }

  @Test
  void shouldPrintJsonObjectsWhenAskedForJson() throws Exception {
    try (JavaProcess ping = ping("ping-json", wire.clientArgs("-c", "2", "-i", "0", "--json"))) {
      assertThat(ping.awaitExit(RUN)).isZero();
      List<String> out = ping.stdout();
      assertThat(out).hasSize(3);
      assertThat(out.get(0))
          .startsWith("{\"type\":\"pong\",\"seq\":1,\"session_id\":\"")
          .contains("\"trace_id\":\"");
      assertThat(out.get(2))
          .startsWith(
              "{\"type\":\"summary\",\"transmitted\":2,\"received\":2,\"duplicates\":0,\"loss_percent\":0.0");
    }
  }

  @Test
  void shouldAnswerAllWhenThirtyTwoSingleShotsRunAtOnce() throws Exception {
    // As README's loop runs them: java -jar, the default -W, and the default exporter with no
    // collector listening (each run then ends with one warning line).
    Map<String, String> noCollector =
        Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1");
    List<JavaProcess> pings = new ArrayList<>();
    List<String> sessions = new ArrayList<>();
    double slowest = 0;
    long started = System.nanoTime();
    try {
      for (int i = 0; i < 32; i++) {
        pings.add(JavaProcess.start("ping-" + i, Jars.PING, wire.clientArgs(), noCollector));
      }
      for (JavaProcess ping : pings) {
        assertThat(ping.awaitExit(Duration.ofSeconds(120))).as(ping.allLines().toString()).isZero();
        assertThat(ping.stdout())
            .singleElement()
            .satisfies(line -> assertThat(line).matches(REPLY));
        assertThat(ping.ourStderr())
            .containsExactly("ping: warning: traces could not be exported to http://127.0.0.1:1");
        Matcher reply = REPLY.matcher(ping.stdout().get(0));
        assertThat(reply.matches()).isTrue();
        sessions.add(reply.group(1));
        slowest = Math.max(slowest, Double.parseDouble(reply.group(2)));
      }
    } finally {
      for (JavaProcess ping : pings) {
        ping.close();
      }
    }
    System.out.printf(
        "FIGURES 32 single shots as a user runs them: all exited %d ms after the first start,"
            + " slowest round trip %.2f ms%n",
        since(started).toMillis(), slowest);
    // Counted from the topics: each of the 32 pings has exactly one pong, once all are committed.
    Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
    Ledger ledger =
        Ledger.of(
            wire.readAll(wire.pingTopic).stream()
                .filter(ping -> sessions.contains(Wire.text(ping.key())))
                .toList(),
            wire.readAll(wire.pongTopic));
    assertThat(ledger.pings()).isEqualTo(32);
    assertThat(ledger.answered()).isEqualTo(32);
    assertThat(ledger.duplicated()).isZero();
  }

  @Test
  void shouldReachTheBrokerAndLogAtDebugWhenBothComeFromTheEnvironment() throws Exception {
    List<String> args = new ArrayList<>(wire.clientArgs());
    args.subList(args.indexOf("-b"), args.indexOf("-b") + 2).clear();
    try (JavaProcess ping =
        JavaProcess.start(
            "ping-env",
            Jars.PING,
            args,
            Map.of("KAFKA_BOOTSTRAP_SERVERS", wire.bootstrap, "LOG_LEVEL", "debug"))) {
      assertThat(ping.awaitExit(RUN)).isZero();
      assertThat(ping.stdout()).singleElement().satisfies(line -> assertThat(line).matches(REPLY));
      assertThat(ping.stderr())
          .anySatisfy(line -> assertThat(line).matches(LOG_LINE).contains(" DEBUG "));
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: by then the class's server has served for over 20 s
  void shouldLogAStatusLineEveryTenSecondsWhileItServes() throws Exception {
    server.awaitLine(line -> STATUS.matcher(line).matches() && statusLines().size() >= 2, RUN);
    List<Matcher> status = statusLines();
    LocalTime ready =
        LocalTime.parse(
            server.stderr().stream()
                .filter(line -> line.contains("pong server answering"))
                .findFirst()
                .orElseThrow()
                .substring(0, 12));
    LocalTime first = LocalTime.parse(status.get(0).group(1));
    LocalTime second = LocalTime.parse(status.get(1).group(1));

    // Timed by the server's own clock, from its ready line; a loaded machine delays a line, and
    // a fixed-rate schedule then brings the next one forward.
    assertThat(between(ready, first)).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(13));
    assertThat(between(first, second)).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(13));
    assertThat(Long.parseLong(status.get(1).group(2)))
        .isGreaterThanOrEqualTo(Long.parseLong(status.get(0).group(2)));
  }

  private static List<Matcher> statusLines() {
    return server.stderr().stream().map(STATUS::matcher).filter(Matcher::matches).toList();
  }

  /** Between two times of day, across midnight if need be. */
  private static Duration between(LocalTime from, LocalTime to) {
    Duration gap = Duration.between(from, to);
    return gap.isNegative() ? gap.plusDays(1) : gap;
  }

  @Test
  void shouldExitOneWithOneLineWhenNoPongServerIsRunning() throws Exception {
    // With -W 60 the check is bounded to 20 s, and a check that hung or was skipped would make
    // the client wait for the pong for 60 s more: "well before -W" needs no tight timing.
    long started = System.nanoTime();
    try (JavaProcess ping = ping("ping-noserver", nobodyHome("-W", "60"))) {
      assertThat(ping.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
      assertThat(since(started)).isLessThan(Duration.ofSeconds(30));
      assertThat(ping.stderr().stream().filter(line -> !line.startsWith("WARNING")))
          .containsExactly(
              "ping: no pong server is running (consumer group 'nobody-home' has no members)");
      assertThat(ping.stdout()).isEmpty();
    }
  }

  @Test
  void shouldSayOnlyThatNoServerRunsWhenTracesCannotBeExportedEither() throws Exception {
    // A user's default: OTLP export with no collector. One problem, one line.
    try (JavaProcess ping =
        JavaProcess.start(
            "ping-noserver-otlp",
            Jars.PING,
            nobodyHome("-W", "10"),
            Map.of(
                "OTEL_TRACES_EXPORTER",
                "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:1"))) {
      assertThat(ping.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(ping.ourStderr())
          .containsExactly(
              "ping: no pong server is running (consumer group 'nobody-home' has no members)");
    }
  }

  @Test
  void shouldExitOneWithinTheCheckBoundWhenNoPongServerIsRunning() throws Exception {
    // Timed from the client's first log line (its Kafka clients being built), not from JVM start.
    try (JavaProcess ping =
        ping("ping-noserver-debug", nobodyHome("-W", "60", "--log-level", "debug"))) {
      ping.awaitLine(line -> LOG_LINE.matcher(line).matches(), RUN);
      long firstLogLine = System.nanoTime();
      assertThat(ping.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
      // "At once": well inside the check's own bound, a third of -W = 20 s.
      assertThat(since(firstLogLine)).isLessThan(Duration.ofSeconds(10));
      assertThat(ping.stderr())
          .contains(
              "ping: no pong server is running (consumer group 'nobody-home' has no members)");
      assertThat(ping.stdout()).isEmpty();
    }
  }

  @Test
  void shouldExitTwoAtOnceWhenNoBrokerIsReachable() throws Exception {
    // Nothing is printed before the TCP probe fails, so the bound is set against -W: a client
    // that waited for its timeout would take 60 s.
    long started = System.nanoTime();
    try (JavaProcess ping = ping("ping-nobroker", List.of("-b", "127.0.0.1:1", "-W", "60"))) {
      assertThat(ping.awaitExit(Duration.ofSeconds(90))).isEqualTo(2);
      assertThat(since(started)).isLessThan(Duration.ofSeconds(30));
      assertThat(ping.stderr().stream().filter(line -> !line.startsWith("WARNING")))
          .containsExactly("ping: cannot reach Kafka at 127.0.0.1:1 (connection refused)");
    }
  }

  @Test
  void shouldIgnoreAPongForAnotherSessionWhenWaitingForItsOwn(KafkaBroker broker) throws Exception {
    // A fake server that answers the ping twice: first with someone else's pong, then with ours.
    try (Wire quiet = new Wire(broker.bootstrapServers());
        JavaProcess ping =
            ping("ping-foreign", quiet.clientArgs("--no-responder-check", "-W", "20"))) {
      List<ConsumerRecord<byte[], byte[]>> pings =
          quiet.readUntil(quiet.pingTopic, records -> !records.isEmpty(), Duration.ofSeconds(30));
      String ours = Wire.text(pings.get(0).key());
      String other = UUID.randomUUID().toString();
      quiet.send(quiet.pongTopic, bytes(other), bytes("{\"session_id\":\"" + other + "\"}"));
      quiet.send(quiet.pongTopic, bytes(ours), bytes("{\"session_id\":\"" + ours + "\"}"));

      assertThat(ping.awaitExit(RUN)).isZero();
      Matcher reply = REPLY.matcher(ping.stdout().get(0));
      assertThat(reply.matches()).isTrue();
      assertThat(reply.group(1)).isEqualTo(ours);
      assertThat(ping.stdout()).hasSize(1);
    }
  }

  @Test
  void shouldExitOneAfterTheWaitWhenOnlyAForeignPongArrives(KafkaBroker broker) throws Exception {
    try (Wire quiet = new Wire(broker.bootstrapServers());
        JavaProcess ping = ping("ping-lost", quiet.clientArgs("--no-responder-check", "-W", "3"))) {
      quiet.readUntil(quiet.pingTopic, records -> !records.isEmpty(), Duration.ofSeconds(30));
      String other = UUID.randomUUID().toString();
      quiet.send(quiet.pongTopic, bytes(other), bytes("{\"session_id\":\"" + other + "\"}"));

      assertThat(ping.awaitExit(RUN)).isEqualTo(1);
      assertThat(ping.stdout())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("no pong session_id=")
                      .contains("no pong within 3000 ms"));
    }
  }

  /** Topics of their own, which no server reads, and a group with no members. */
  private static List<String> nobodyHome(String... more) {
    List<String> args = new ArrayList<>(wire.clientArgs(more));
    String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
    args.set(args.indexOf("--ping-topic") + 1, "nobody-ping-" + suffix);
    args.set(args.indexOf("--pong-topic") + 1, "nobody-pong-" + suffix);
    args.set(args.indexOf("--server-group") + 1, "nobody-home");
    return args;
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

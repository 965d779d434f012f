package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What README.org promises about the ping CLI (options, output, exit codes, Ctrl-C, the responder
 * check), each held by real ping and pong processes on a real broker. Durations are measured from
 * something the process printed or put on the wire, never from its JVM start.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ClientPromisesIT {
  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final Pattern REPLY =
      Pattern.compile("pong session_id=" + UUID_PATTERN + " partition=\\d+ time=\\d+\\.\\d\\d ms");
  private static final Pattern VERBOSE_REPLY =
      Pattern.compile(
          "pong session_id=("
              + UUID_PATTERN
              + ") partition=(\\d+) time=\\d+\\.\\d\\d ms seq=1 offset=(\\d+)"
              + " trace_id=([0-9a-f]{32})");
  private static final Pattern COUNTS =
      Pattern.compile("(\\d+) pings transmitted, (\\d+) received, [0-9.]+% loss, time (\\d+) ms");
  private static final String NUMBER = "(-?[0-9.]+(?:E-?\\d+)?)";
  private static final Pattern JSON_PONG =
      Pattern.compile(
          "\\{\"type\":\"pong\",\"seq\":(\\d+),\"session_id\":\"("
              + UUID_PATTERN
              + ")\",\"partition\":\\d+,\"offset\":\\d+,\"time_ms\":"
              + NUMBER
              + ",\"trace_id\":\"([0-9a-f]{32})\"\\}");
  private static final Pattern JSON_TIMEOUT =
      Pattern.compile(
          "\\{\"type\":\"timeout\",\"seq\":\\d+,\"session_id\":\""
              + UUID_PATTERN
              + "\",\"reason\":\"no pong within (\\d+) ms\",\"trace_id\":\"[0-9a-f]{32}\"\\}");
  private static final Pattern JSON_SUMMARY =
      Pattern.compile(
          "\\{\"type\":\"summary\",\"transmitted\":(\\d+),\"received\":(\\d+),\"duplicates\":0,"
              + "\"loss_percent\":"
              + NUMBER
              + ",\"time_ms\":\\d+,\"rtt_ms\":\\{\"min\":"
              + NUMBER
              + ",\"avg\":"
              + NUMBER
              + ",\"max\":"
              + NUMBER
              + ",\"mdev\":"
              + NUMBER
              + ",\"p50\":"
              + NUMBER
              + ",\"p90\":"
              + NUMBER
              + ",\"p99\":"
              + NUMBER
              + "\\}\\}");
  private static final Duration RUN = Duration.ofSeconds(60);

  private static Wire wire;
  private static JavaProcess server;

  @BeforeAll
  static void startServer(KafkaBroker broker) throws Exception {
    wire = new Wire(broker.bootstrapServers());
    server = wire.startServer("pong", Map.of());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (wire != null) {
      wire.close();
    }
  }

  @Test
  void shouldPrintSequenceOffsetAndTraceIdWhenVerbose() throws Exception {
    try (JavaProcess ping = ping("ping-v", wire.clientArgs("-v"))) {
      assertThat(ping.awaitExit(RUN)).isZero();
      assertThat(ping.stdout()).hasSize(1);
      Matcher reply = VERBOSE_REPLY.matcher(ping.stdout().get(0));
      assertThat(reply.matches()).as(ping.stdout().get(0)).isTrue();
      String session = reply.group(1);

      // The offset is where the pong sits, and the trace id is the one the ping carried on the
      // wire, so that Jaeger finds it.
      assertThat(wire.readAll(wire.pongTopic))
          .anySatisfy(
              pong -> {
                assertThat(Wire.text(pong.key())).isEqualTo(session);
                assertThat(pong.partition()).isEqualTo(Integer.parseInt(reply.group(2)));
                assertThat(pong.offset()).isEqualTo(Long.parseLong(reply.group(3)));
              });
      ConsumerRecord<byte[], byte[]> sent =
          wire.readAll(wire.pingTopic).stream()
              .filter(record -> session.equals(Wire.text(record.key())))
              .findFirst()
              .orElseThrow();
      Header traceparent = sent.headers().lastHeader("traceparent");
      assertThat(traceparent).isNotNull();
      assertThat(Wire.text(traceparent.value())).startsWith("00-" + reply.group(4) + "-");
    }
  }

  @Test
  void shouldPrintOnlyTheSummaryWhenQuiet() throws Exception {
    try (JavaProcess ping = ping("ping-q", wire.clientArgs("-c", "3", "-i", "0", "-q"))) {
      assertThat(ping.awaitExit(RUN)).isZero();
      List<String> out = ping.stdout();
      assertThat(out).hasSize(4);
      assertThat(out.get(0)).isEqualTo("--- ping statistics ---");
      assertThat(out.get(1)).matches("3 pings transmitted, 3 received, 0% loss, time \\d+ ms");
      assertThat(out.get(2)).matches("rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms");
      assertThat(out.get(3)).matches("rtt p50/p90/p99 = [0-9.]+/[0-9.]+/[0-9.]+ ms");
    }
  }

  @Test
  void shouldAnswerEveryPingAndSummariseThemWhenTwentyAreInFlight() throws Exception {
    try (JavaProcess ping =
        ping(
            "ping-flood", wire.clientArgs("-c", "200", "--in-flight", "20", "-i", "0", "--json"))) {
      assertThat(ping.awaitExit(RUN)).isZero();
      List<String> out = ping.stdout();
      assertThat(out).hasSize(201);
      List<Matcher> pongs = out.subList(0, 200).stream().map(JSON_PONG::matcher).toList();
      assertThat(pongs).allSatisfy(pong -> assertThat(pong.matches()).as(pong.toString()).isTrue());

      // Every ping is its own session and its own trace.
      assertThat(pongs.stream().map(pong -> Integer.parseInt(pong.group(1))))
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 200).boxed().toList());
      assertThat(pongs.stream().map(pong -> pong.group(2)).distinct()).hasSize(200);
      assertThat(pongs.stream().map(pong -> pong.group(4)).distinct()).hasSize(200);

      Matcher summary = JSON_SUMMARY.matcher(out.get(200));
      assertThat(summary.matches()).as(out.get(200)).isTrue();
      assertThat(summary.group(1)).isEqualTo("200");
      assertThat(summary.group(2)).isEqualTo("200");
      assertThat(Double.parseDouble(summary.group(3))).isZero();
      assertStatisticsOf(
          pongs.stream().mapToDouble(pong -> Double.parseDouble(pong.group(3))).sorted().toArray(),
          summary);
    }
  }

  /** README: min/avg/max/mdev are exact; percentiles come from HdrHistogram, 3 digits. */
  private static void assertStatisticsOf(double[] sorted, Matcher summary) {
    double avg = IntStream.range(0, sorted.length).mapToDouble(i -> sorted[i]).average().orElse(0);
    double variance =
        IntStream.range(0, sorted.length)
            .mapToDouble(i -> (sorted[i] - avg) * (sorted[i] - avg))
            .average()
            .orElse(0);
    // The replies print their times rounded to the microsecond, as does the summary.
    assertThat(Double.parseDouble(summary.group(4))).isCloseTo(sorted[0], within(0.0011));
    assertThat(Double.parseDouble(summary.group(5))).isCloseTo(avg, within(0.0011));
    assertThat(Double.parseDouble(summary.group(6)))
        .isCloseTo(sorted[sorted.length - 1], within(0.0011));
    assertThat(Double.parseDouble(summary.group(7))).isCloseTo(Math.sqrt(variance), within(0.002));
    int[] percentiles = {50, 90, 99};
    for (int i = 0; i < percentiles.length; i++) {
      double exact = sorted[(int) Math.ceil(percentiles[i] / 100.0 * sorted.length) - 1];
      assertThat(Double.parseDouble(summary.group(8 + i)))
          .as("p" + percentiles[i])
          .isCloseTo(exact, within(exact * 0.002 + 0.002));
    }
  }

  @Test
  void shouldKeepExactlyTheInFlightNumberOutstandingWhenNoPongComes(KafkaBroker broker)
      throws Exception {
    // With nobody answering, each wave of pings waits out -W before the next can go: the send
    // times on the wire show how many were outstanding at once.
    try (Wire quiet = new Wire(broker.bootstrapServers());
        JavaProcess ping =
            ping(
                "ping-inflight",
                quiet.clientArgs(
                    "--no-responder-check",
                    "-c",
                    "40",
                    "--in-flight",
                    "20",
                    "-i",
                    "0",
                    "-W",
                    "3",
                    "--json"))) {
      assertThat(ping.awaitExit(RUN)).isEqualTo(1);
      assertThat(ping.stdout().stream().filter(line -> JSON_TIMEOUT.matcher(line).matches()))
          .hasSize(40);
      List<Long> sent =
          quiet.readAll(quiet.pingTopic).stream().map(ConsumerRecord::timestamp).sorted().toList();
      assertThat(sent).hasSize(40);
      long firstWave = sent.get(19) - sent.get(0);
      long pause = sent.get(20) - sent.get(19);
      long secondWave = sent.get(39) - sent.get(20);
      assertThat(firstWave).as("first 20 sent within (ms)").isLessThan(1500);
      // The 21st goes when the first times out, 3 s after it was sent (less a little set-up).
      assertThat(pause).as("21st sent after the first wave (ms)").isGreaterThan(2800 - firstWave);
      assertThat(secondWave).as("last 20 sent within (ms)").isLessThan(1500);
    }
  }

  @Test
  void shouldPingUntilTheDeadlineWhenOnlyADeadlineIsGiven() throws Exception {
    // README's exit codes: "with -w and no -c: at least one", as iputils, where -w alone pings
    // until the deadline.
    try (JavaProcess ping = ping("ping-w", wire.clientArgs("-w", "3", "-i", "1.2"))) {
      assertEndsAtTheDeadlineWithExitZero(ping, Duration.ofSeconds(3));
    }
  }

  @Test
  void shouldPingUntilTheDeadlineWhenCountIsZero() throws Exception {
    // An interval that does not divide the deadline: the run must still stop at the deadline.
    try (JavaProcess ping = ping("ping-c0-w", wire.clientArgs("-c", "0", "-w", "3", "-i", "1.2"))) {
      assertEndsAtTheDeadlineWithExitZero(ping, Duration.ofSeconds(3));
    }
  }

  private static void assertEndsAtTheDeadlineWithExitZero(JavaProcess ping, Duration deadline)
      throws InterruptedException {
    ping.awaitLine(line -> REPLY.matcher(line).matches(), RUN);
    long firstReply = System.nanoTime();
    int exit = ping.awaitExit(RUN);
    Duration afterFirstReply = since(firstReply);
    Counts counts = Counts.of(ping);
    // -w counts from the command's start, set-up included: the pings get what is left of it.
    assertThat(counts.millis())
        .as("run time in the summary (ms)")
        .isLessThanOrEqualTo(deadline.toMillis() + 250);
    assertThat(counts.received()).isGreaterThan(1);
    assertThat(afterFirstReply)
        .as("from the first reply to the exit: a hard limit, as iputils' -w")
        .isLessThan(deadline.plusSeconds(1));
    assertThat(exit).isZero();
  }

  @Test
  void shouldExitOneWhenTheDeadlineComesBeforeTheCount() throws Exception {
    try (JavaProcess ping =
        ping("ping-c100-w2", wire.clientArgs("-c", "100", "-i", "0.2", "-w", "2"))) {
      assertThat(ping.awaitExit(RUN)).isEqualTo(1);
      Counts counts = Counts.of(ping);
      assertThat(counts.received()).isPositive();
      assertThat(counts.transmitted()).isLessThan(100);
      assertThat(counts.millis()).isLessThanOrEqualTo(2250L);
    }
  }

  @Test
  void shouldStopAtTheDeadlineWhenTheBrokerAcceptsButNeverAnswers() throws Exception {
    // A listener that never accepts: the kernel completes the handshake, nothing ever answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long started = System.nanoTime();
      try (JavaProcess ping =
          ping(
              "ping-silent-w2",
              List.of("-b", "127.0.0.1:" + silent.getLocalPort(), "-W", "15", "-w", "2"))) {
        assertThat(ping.awaitExit(RUN)).isEqualTo(2);
        // The 2 s deadline, plus JVM start-up and exit on a loaded machine: well before -W's 15 s.
        assertThat(since(started)).isLessThan(Duration.ofSeconds(12));
        assertThat(ping.ourStderr())
            .singleElement()
            .asString()
            .startsWith("ping: ")
            .contains("127.0.0.1:" + silent.getLocalPort());
      }
    }
  }

  @Test
  void shouldMarkAndCountPongsThatArriveTwice(KafkaBroker broker) throws Exception {
    // A second server in a group of its own answers every ping again, as a redelivery would.
    List<String> echoArgs = new ArrayList<>(wire.serverArgs());
    echoArgs.set(echoArgs.indexOf("--group") + 1, wire.group + "-echo");
    try (JavaProcess echo = JavaProcess.start("pong-echo", Jars.PONG, echoArgs, Map.of())) {
      echo.awaitLine(line -> line.contains("partitions assigned"), RUN);
      try (JavaProcess ping = ping("ping-dup", wire.clientArgs("-c", "5", "-i", "0.5"))) {
        assertThat(ping.awaitExit(RUN)).isZero();
        List<String> out = ping.stdout();
        assertThat(out).filteredOn(line -> line.endsWith("(DUP!)")).hasSizeBetween(4, 5);
        assertThat(out)
            .filteredOn(line -> REPLY.matcher(line).matches())
            .as("the originals")
            .hasSize(5);
        Matcher summary =
            Pattern.compile(
                    "5 pings transmitted, 5 received, \\+(\\d) duplicates, 0% loss, time \\d+ ms")
                .matcher(
                    out.stream()
                        .filter(line -> line.contains("transmitted"))
                        .findFirst()
                        .orElseThrow());
        assertThat(summary.matches()).as("iputils' summary with +N duplicates").isTrue();
        assertThat(Integer.parseInt(summary.group(1))).isBetween(4, 5);
      }
    }
  }

  @Test
  void shouldExitZeroWithoutDeadlineButOneWithDeadlineWhenTheServerDiesMidRun(KafkaBroker broker)
      throws Exception {
    List<String> run = List.of("-c", "5", "-i", "1.5", "-W", "1.5");
    try (Wire doomed = new Wire(broker.bootstrapServers());
        JavaProcess pong = doomed.startServer("pong-doomed", Map.of());
        JavaProcess counted = ping("ping-c5-json", doomed.clientArgs(with(run, "--json")));
        JavaProcess deadlined = ping("ping-c5-w30", doomed.clientArgs(with(run, "-w", "30")))) {
      counted.awaitLine(line -> JSON_PONG.matcher(line).matches(), RUN);
      deadlined.awaitLine(line -> REPLY.matcher(line).matches(), RUN);
      pong.kill();
      pong.awaitExit(RUN);

      // -c 5 alone: some pongs lost, at least one came back: 0, as iputils.
      assertThat(counted.awaitExit(RUN)).isZero();
      List<String> json = counted.stdout();
      Matcher summary = JSON_SUMMARY.matcher(json.get(json.size() - 1));
      assertThat(summary.matches()).as(json.toString()).isTrue();
      int received = Integer.parseInt(summary.group(2));
      assertThat(summary.group(1)).isEqualTo("5");
      assertThat(received).isBetween(1, 4);
      assertThat(json.stream().filter(line -> JSON_PONG.matcher(line).matches())).hasSize(received);
      List<String> timeouts = json.stream().filter(line -> line.contains("\"timeout\"")).toList();
      assertThat(timeouts).hasSize(5 - received);
      assertThat(timeouts)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .matches(JSON_TIMEOUT)
                      .contains("\"reason\":\"no pong within 1500 ms\""));

      // -c 5 -w 30: fewer than 5 by the deadline: 1.
      assertThat(deadlined.awaitExit(RUN)).isEqualTo(1);
      Counts counts = Counts.of(deadlined);
      assertThat(counts.transmitted()).isEqualTo(5);
      assertThat(counts.received()).isBetween(1, 4);
      assertThat(
              deadlined.stdout().stream()
                  .filter(
                      line ->
                          line.matches(
                              "no pong session_id="
                                  + UUID_PATTERN
                                  + " \\(no pong within 1500 ms\\)")))
          .hasSize(5 - counts.received());
    }
  }

  @Test
  void shouldExitOneAfterTheWaitWhenTheServerStopsAnswering(KafkaBroker broker) throws Exception {
    // A server that stays in its group but answers nothing passes the responder check.
    try (Wire hung = new Wire(broker.bootstrapServers());
        KafkaConsumer<byte[], byte[]> member = silentMember(hung)) {
      try (JavaProcess ping = ping("ping-hung", hung.clientArgs("-W", "3s"))) {
        long pingSent = awaitRecord(member).timestamp();
        assertThat(ping.awaitExit(RUN)).isEqualTo(1);
        assertGaveUpAfterTheWait(pingSent, seconds(3));
        assertThat(ping.stdout())
            .singleElement()
            .satisfies(
                line ->
                    assertThat(line)
                        .matches(
                            "no pong session_id="
                                + UUID_PATTERN
                                + " \\(no pong within 3000 ms\\)"));
        assertThat(errors(ping)).isEmpty();
      }
    }
  }

  @Test
  void shouldWaitTheFullTimeoutWhenTheResponderCheckIsOff(KafkaBroker broker) throws Exception {
    try (Wire empty = new Wire(broker.bootstrapServers())) {
      try (JavaProcess ping =
          ping("ping-nocheck", empty.clientArgs("--no-responder-check", "-W", "2500ms"))) {
        long pingSent =
            empty.readUntil(empty.pingTopic, records -> !records.isEmpty(), RUN).get(0).timestamp();
        assertThat(ping.awaitExit(RUN)).isEqualTo(1);
        assertGaveUpAfterTheWait(pingSent, seconds(2.5));
        assertThat(ping.stdout())
            .singleElement()
            .satisfies(
                line ->
                    assertThat(line)
                        .matches(
                            "no pong session_id="
                                + UUID_PATTERN
                                + " \\(no pong within 2500 ms\\)"));
        assertThat(errors(ping)).isEmpty();
      }
    }
  }

  private static void awaitReplies(JavaProcess ping, int replies) {
    Await.until(
        replies + " replies",
        RUN,
        () ->
            ping.stdout().stream().filter(line -> REPLY.matcher(line).matches()).count()
                >= replies);
  }

  @Test
  void shouldPrintTheSummaryAndExitZeroWhenInterruptedAfterReplies() throws Exception {
    try (JavaProcess ping = ping("ping-ctrl-c", wire.clientArgs("-c", "100", "-i", "0.2"))) {
      awaitReplies(ping, 3);
      signal(ping, "INT");
      long interrupted = System.nanoTime();
      assertThat(ping.awaitExit(RUN)).isZero();
      // The rest of the run would take 97 x 0.2 s.
      assertThat(since(interrupted)).isLessThan(seconds(5));
      List<String> out = ping.stdout();
      int header = out.indexOf("--- ping statistics ---");
      assertThat(header).isPositive();
      assertThat(out.subList(0, header)).allSatisfy(line -> assertThat(line).matches(REPLY));
      Counts counts = Counts.of(ping);
      assertThat(counts.transmitted()).isLessThan(100);
      assertThat(counts.received()).isGreaterThanOrEqualTo(3);
      assertThat(out.subList(header + 1, out.size())).hasSize(3);
    }
  }

  @Test
  void shouldPrintTheSummaryAndExitOneWhenASingleShotIsInterruptedWhileWaiting(KafkaBroker broker)
      throws Exception {
    // A single shot prints no summary of its own: here it comes from Ctrl-C alone.
    try (Wire empty = new Wire(broker.bootstrapServers());
        JavaProcess ping =
            ping("ping-ctrl-c-wait", empty.clientArgs("--no-responder-check", "-W", "2m"))) {
      empty.readUntil(empty.pingTopic, records -> !records.isEmpty(), RUN);
      signal(ping, "INT");
      long interrupted = System.nanoTime();
      assertThat(ping.awaitExit(RUN)).isEqualTo(1);
      assertThat(since(interrupted)).isLessThan(seconds(5));
      assertThat(ping.stdout()).hasSize(2);
      assertThat(ping.stdout().get(0)).isEqualTo("--- ping statistics ---");
      assertThat(ping.stdout().get(1))
          .matches("1 pings transmitted, 0 received, 100% loss, time \\d+ ms");
    }
  }

  @Test
  void shouldPingUntilStoppedWhenCountIsZeroWithoutDeadline() throws Exception {
    // A canary: -c 0 alone pings until SIGTERM (or Ctrl-C), then prints the summary.
    try (JavaProcess ping = ping("ping-c0", wire.clientArgs("-c", "0", "-i", "0.2"))) {
      awaitReplies(ping, 5);
      assertThat(ping.isAlive()).isTrue();
      ping.terminate();
      assertThat(ping.awaitExit(RUN)).isZero();
      assertThat(ping.stdout()).contains("--- ping statistics ---");
      assertThat(Counts.of(ping).received()).isGreaterThanOrEqualTo(5);
      assertThat(errors(ping)).isEmpty();
    }
  }

  @Test
  void shouldExitTwoWithAUsageHintWhenAnOptionIsUnknown() throws Exception {
    try (JavaProcess ping = ping("ping-bogus", wire.clientArgs("--bogus"))) {
      assertThat(ping.awaitExit(RUN)).isEqualTo(2);
      assertThat(errors(ping))
          .containsExactly(
              "ping: Unknown option: '--bogus'", "Try 'ping --help' for more information.");
      assertThat(ping.stdout()).isEmpty();
    }
  }

  @Test
  void shouldExitTwoWithOneLineWhenTheCommandConfigCannotBeRead() throws Exception {
    String missing = "/nonexistent-" + UUID.randomUUID() + "/client.properties";
    try (JavaProcess ping = ping("ping-no-config", wire.clientArgs("--command-config", missing))) {
      assertThat(ping.awaitExit(RUN)).isEqualTo(2);
      assertThat(errors(ping))
          .containsExactly("ping: cannot read --command-config " + missing + ": no such file");
      assertThat(ping.stdout()).isEmpty();
    }
  }

  @Test
  void shouldCreateMissingTopicsWithTheGivenPartitions() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String pingTopic = "new-ping-" + suffix;
    String pongTopic = "new-pong-" + suffix;
    List<String> args =
        List.of(
            "-b",
            wire.bootstrap,
            "--ping-topic",
            pingTopic,
            "--pong-topic",
            pongTopic,
            "--partitions",
            "2",
            "--no-responder-check",
            "-W",
            "1");
    try (JavaProcess ping = ping("ping-partitions", args)) {
      assertThat(ping.awaitExit(RUN)).isEqualTo(1);
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, wire.bootstrap))) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(List.of(pingTopic, pongTopic)).allTopicNames().get();
      assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(2));
    }
  }

  private static JavaProcess ping(String name, List<String> args) {
    return JavaProcess.start(name, Jars.PING, args, Map.of());
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Our own lines on stderr; the JVM may add WARNING lines of its own. */
  private static List<String> errors(JavaProcess process) {
    return process.stderr().stream().filter(line -> !line.startsWith("WARNING")).toList();
  }

  /** Sends a signal the way a terminal or {@code kill} does; Process only offers TERM and KILL. */
  private static void signal(JavaProcess process, String name) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** A member of the servers' group that never answers, as a hung server would. */
  private static KafkaConsumer<byte[], byte[]> silentMember(Wire wire) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                wire.bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                wire.group,
                // The topic is fresh: whatever arrives is the client's ping.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(wire.pingTopic));
    long deadline = System.nanoTime() + RUN.toNanos();
    while (consumer.assignment().isEmpty()) {
      if (System.nanoTime() > deadline) {
        consumer.close(Duration.ZERO);
        throw new AssertionError("the silent member got no partitions within " + RUN);
      }
      consumer.poll(Duration.ofMillis(100));
    }
    return consumer;
  }

  private static ConsumerRecord<byte[], byte[]> awaitRecord(
      KafkaConsumer<byte[], byte[]> consumer) {
    long deadline = System.nanoTime() + RUN.toNanos();
    while (true) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
        return record;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no ping reached the silent member within " + RUN);
      }
    }
  }

  /**
   * Timed from the ping's own timestamp (its producer's clock, the moment it was sent) to the exit
   * the test saw: -W runs from just before the send, so the exit comes at least -W after it, less
   * what the send itself took (500 ms allowed), and at most a few seconds after.
   */
  private static void assertGaveUpAfterTheWait(long pingSentMillis, Duration wait) {
    Duration afterTheSend = Duration.ofMillis(System.currentTimeMillis() - pingSentMillis);
    assertThat(afterTheSend).as("exit after the send").isGreaterThan(wait.minusMillis(500));
    assertThat(afterTheSend).as("exit after the send").isLessThan(wait.plusSeconds(3));
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** The counts line of a text summary. */
  private record Counts(int transmitted, int received, long millis) {
    static Counts of(JavaProcess ping) {
      for (String line : ping.stdout()) {
        Matcher counts = COUNTS.matcher(line);
        if (counts.matches()) {
          return new Counts(
              Integer.parseInt(counts.group(1)),
              Integer.parseInt(counts.group(2)),
              Long.parseLong(counts.group(3)));
        }
      }
      throw new AssertionError("no summary in " + ping.stdout());
    }
  }
}

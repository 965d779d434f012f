package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Avro in the Confluent wire format, against a real broker, a real schema registry and real ping
 * and pong processes; the records are checked by a third-party Avro client ({@link AvroWire}).
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class AvroIT {
  private static final Duration RUN = Duration.ofSeconds(90);

  @Test
  void shouldAnswerEachPingInItsOwnFormatWithJsonAndAvroClientsOnOneServer(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    AvroWire avro = new AvroWire(registry.url());
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = startServer(wire, registry)) {
      JavaProcess avroClient =
          JavaProcess.start(
              "ping-avro",
              Jars.PING,
              wire.clientArgs(
                  "--format", "avro", "--schema-registry", registry.url(), "-c", "20", "-i", "0"),
              Map.of());
      JavaProcess jsonClient =
          JavaProcess.start(
              "ping-json", Jars.PING, wire.clientArgs("-c", "20", "-i", "0"), Map.of());
      try {
        Clients.awaitExitZero(List.of(avroClient, jsonClient), RUN);
      } finally {
        Clients.closeAll(List.of(avroClient, jsonClient));
      }

      List<ConsumerRecord<byte[], byte[]>> pings = wire.readAll(wire.pingTopic);
      List<ConsumerRecord<byte[], byte[]>> pongs = wire.readAll(wire.pongTopic);
      Ledger ledger = Ledger.of(pings, pongs);
      assertThat(ledger.pings()).isEqualTo(40);
      assertThat(ledger.lost()).isZero();
      assertThat(ledger.duplicated()).isZero();

      Map<String, ConsumerRecord<byte[], byte[]>> pongBySession = new LinkedHashMap<>();
      pongs.forEach(pong -> pongBySession.put(Wire.text(pong.key()), pong));
      int avroPings = 0;
      for (ConsumerRecord<byte[], byte[]> ping : pings) {
        String session = Wire.text(ping.key());
        byte[] pong = pongBySession.get(session).value();
        if (ping.value()[0] == 0) {
          avroPings++;
          GenericRecord decodedPing = avro.decode(ping.value());
          assertThat(decodedPing.getSchema().getFullName()).isEqualTo("dev.kafkaping.avro.Ping");
          assertThat(((GenericRecord) decodedPing.get("body")).get("session_id").toString())
              .isEqualTo(session);
          // The trace context travels in the envelope as well as in the headers.
          assertThat(contextValue(decodedPing, "traceparent"))
              .isEqualTo(header(ping, "traceparent"));
          GenericRecord decodedPong = avro.decode(pong);
          assertThat(decodedPong.getSchema().getFullName()).isEqualTo("dev.kafkaping.avro.Pong");
          assertThat(decodedPong.get("session_id").toString()).isEqualTo(session);
        } else {
          assertThat(Wire.text(pong)).isEqualTo("{\"session_id\":\"" + session + "\"}");
        }
      }
      assertThat(avroPings).isEqualTo(20);
      // TopicNameStrategy: the schemas are registered under <topic>-value.
      assertThat(avro.subjects())
          .contains("\"" + wire.pingTopic + "-value\"", "\"" + wire.pongTopic + "-value\"");
      assertThat(wire.readAll(wire.pingTopic + ".DLT")).isEmpty();
    }
  }

  @Test
  void shouldAnswerAnAvroPingInAvroWhenBothTakeTheRegistryFromSchemaRegistryUrl(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    AvroWire avro = new AvroWire(registry.url());
    Map<String, String> env = Map.of("SCHEMA_REGISTRY_URL", registry.url());
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = JavaProcess.start("pong-env", Jars.PONG, wire.serverArgs(), env)) {
      server.awaitLine(line -> line.contains("partitions assigned"), RUN);
      assertThat(server.allLines())
          .anyMatch(line -> line.contains("JSON and Avro with schema registry " + registry.url()));
      try (JavaProcess ping =
          JavaProcess.start("ping-avro-env", Jars.PING, wire.clientArgs("--format", "avro"), env)) {
        assertThat(ping.awaitExit(RUN)).as(String.join("\n", ping.allLines())).isZero();
        assertThat(ping.stdout())
            .singleElement()
            .satisfies(line -> assertThat(line).startsWith("pong session_id="));
      }

      ConsumerRecord<byte[], byte[]> ping = single(wire.readAll(wire.pingTopic));
      ConsumerRecord<byte[], byte[]> pong = single(wire.readAll(wire.pongTopic));
      String session = Wire.text(ping.key());
      assertThat(ping.value()[0]).as("Avro's magic byte").isZero();
      assertThat(((GenericRecord) avro.decode(ping.value()).get("body")).get("session_id"))
          .hasToString(session);
      assertThat(avro.decode(pong.value()).get("session_id")).hasToString(session);
    }
  }

  @Test
  void shouldDeadLetterEachKindOfBadAvroWithAReasonAndKeepAnswering(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    AvroWire avro = new AvroWire(registry.url());
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = startServer(wire, registry)) {
      int pingId = avro.register(wire.pingTopic + "-value", AvroWire.PING);
      Schema notAPing =
          SchemaBuilder.record("Invoice")
              .namespace("com.example")
              .fields()
              .requiredLong("amount")
              .endRecord();
      int notAPingId = avro.register("invoice-" + wire.pingTopic + "-value", notAPing);
      byte[] valid = AvroWire.ping(UUID.randomUUID(), pingId);
      GenericRecord invoice = new org.apache.avro.generic.GenericData.Record(notAPing);
      invoice.put("amount", 42L);

      int jsonSchemaId =
          avro.register(
              "json-" + wire.pingTopic + "-value",
              "JSON",
              "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\"}");
      Map<String, String> tooMuchContext = new LinkedHashMap<>();
      for (int i = 0; i < 65; i++) {
        tooMuchContext.put("k" + i, "v");
      }
      Map<String, byte[]> bad = new LinkedHashMap<>();
      bad.put("unknown schema id", AvroWire.ping(UUID.randomUUID(), 0x7FFF_FFF0));
      bad.put("truncated Avro", java.util.Arrays.copyOf(valid, valid.length - 10));
      bad.put("schema that is not a Ping", AvroWire.confluent(invoice, notAPingId));
      bad.put("magic byte alone", new byte[] {0});
      bad.put("magic byte and 3 bytes", new byte[] {0, 0, 0, 1});
      bad.put("trailing bytes", concat(valid, new byte[] {1, 2, 3}));
      bad.put(
          "map of 2^31 entries",
          concat(
              java.util.Arrays.copyOf(valid, 5),
              new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10}));
      bad.put(
          "a JSON Schema id",
          concat(
              java.util.Arrays.copyOf(AvroWire.ping(UUID.randomUUID(), jsonSchemaId), 5),
              new byte[] {0}));
      bad.put(
          "65 context entries",
          AvroWire.ping(
              UUID.randomUUID(), pingId, AvroWire.PING, Map.of("context", tooMuchContext)));
      Map<String, String> expectedReason =
          Map.of(
              "unknown schema id", "unknown schema id " + 0x7FFF_FFF0,
              "truncated Avro", "truncated",
              "schema that is not a Ping", "com.example.Invoice) is not a Ping",
              "magic byte alone", "1 byte(s), a magic byte 0 and a 4-byte schema id take 5",
              "magic byte and 3 bytes", "4 byte(s)",
              "trailing bytes", "trailing bytes",
              "map of 2^31 entries", "not a valid Avro record of schema id " + pingId,
              "a JSON Schema id", "schema id " + jsonSchemaId + " is a JSON schema, not Avro",
              "65 context entries", "field 'context' has more than 64 entries");

      List<String> validSessions = new ArrayList<>();
      for (Map.Entry<String, byte[]> record : bad.entrySet()) {
        wire.send(
            wire.pingTopic, record.getKey().getBytes(StandardCharsets.UTF_8), record.getValue());
        validSessions.addAll(wire.sendPings(1, session -> AvroWire.ping(session, pingId)));
      }

      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      List<ConsumerRecord<byte[], byte[]>> pongs = wire.readAll(wire.pongTopic);
      assertThat(Wire.pongSessions(pongs)).containsExactlyInAnyOrderElementsOf(validSessions);
      Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new LinkedHashMap<>();
      wire.readAll(wire.pingTopic + ".DLT").forEach(r -> deadLetters.put(Wire.text(r.key()), r));
      assertThat(deadLetters.keySet()).containsExactlyInAnyOrderElementsOf(bad.keySet());
      for (Map.Entry<String, byte[]> record : bad.entrySet()) {
        ConsumerRecord<byte[], byte[]> copy = deadLetters.get(record.getKey());
        assertThat(copy.value()).as(record.getKey()).isEqualTo(record.getValue());
        assertThat(header(copy, "dlt.reason"))
            .as(record.getKey())
            .contains(expectedReason.get(record.getKey()));
      }
      // One line per record, no stack traces, no errors.
      assertThat(server.allLines())
          .allMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN) .*"));
    }
  }

  @Test
  void shouldKeepPingsUncommittedWhileTheRegistryIsDownAndAnswerThemOnceItIsBack(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    AvroWire avro = new AvroWire(registry.url());
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      int pingId = avro.register(wire.pingTopic + "-value", AvroWire.PING);
      JavaProcess server = null;
      try {
        registry.stop();
        // A single shot cannot register its schema: one line, exit 2.
        JavaProcess shot =
            JavaProcess.start(
                "ping-avro",
                Jars.PING,
                wire.clientArgs("--format", "avro", "--schema-registry", registry.url()),
                Map.of());
        try {
          assertThat(shot.awaitExit(RUN)).isEqualTo(2);
        } finally {
          shot.close();
        }
        assertThat(shot.ourStderr())
            .singleElement()
            .asString()
            .contains("schema registry " + registry.url() + " unreachable");

        List<String> sessions =
            new ArrayList<>(wire.sendPings(20, session -> AvroWire.ping(session, pingId)));
        // A fresh server knows no schema yet: it must ask the registry, which is down.
        long started = System.nanoTime();
        server = startServer(wire, registry);
        JavaProcess running = server;
        // JSON pings need no registry: they are answered while the Avro ones wait.
        List<String> json = wire.sendPings(20);
        sessions.addAll(json);
        Await.until(
            "the 20 JSON pings answered while the registry is down",
            Duration.ofSeconds(15),
            () -> Wire.pongSessions(wire.readAll(wire.pongTopic)).containsAll(json));
        Await.until(
            "two lines about the registry (one a second at most, not one per ping)",
            RUN,
            () -> running.allLines().stream().filter(AvroIT::registryRetryLine).count() >= 2);
        // Committed only up to the first unanswered Avro ping of each partition.
        assertThat(Groups.uncommitted(wire.bootstrap, wire.group, wire.pingTopic))
            .isBetween(20L, 40L);
        assertThat(Wire.pongSessions(wire.readAll(wire.pongTopic)))
            .containsExactlyInAnyOrderElementsOf(json);
        long secondsDown = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        long linesWhileDown = server.allLines().stream().filter(AvroIT::registryRetryLine).count();
        assertThat(linesWhileDown).isLessThanOrEqualTo(secondsDown + 1);

        registry.start();
        Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
        assertThat(Wire.pongSessions(wire.readAll(wire.pongTopic)))
            .containsExactlyInAnyOrderElementsOf(sessions);
        assertThat(wire.readAll(wire.pingTopic + ".DLT")).isEmpty();
      } finally {
        if (server != null) {
          server.close();
        }
        if (!registryAnswers(avro)) {
          registry.start();
        }
      }
    }
  }

  @Test
  void shouldRefuseToStartInOneLineWhenTheRegistryUrlIsNotTheApisBase(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    String root = registry.url().substring(0, registry.url().indexOf("/apis/"));
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server =
            JavaProcess.start(
                "pong", Jars.PONG, wire.serverArgs("--schema-registry", root), Map.of())) {
      assertThat(server.awaitExit(RUN)).isEqualTo(2);
      assertThat(server.ourStderr())
          .singleElement()
          .asString()
          .startsWith("pong: ")
          .contains("404")
          .contains("/apis/ccompat/v7");
    }
  }

  @Test
  void shouldAnswerANewerClientWhosePingSchemaAddsAnOptionalField(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    AvroWire avro = new AvroWire(registry.url());
    Schema newer =
        AvroWire.parse(
            java.nio.file.Path.of(
                System.getProperty("kafkaping.root", ".."),
                "system-tests/src/test/resources/ping-v2.avsc"));
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = startServer(wire, registry)) {
      // The older schema first, as an older client would have registered it.
      avro.register(wire.pingTopic + "-value", AvroWire.PING);
      int newerId = avro.register(wire.pingTopic + "-value", newer);
      List<String> sessions =
          wire.sendPings(
              5,
              session ->
                  AvroWire.ping(
                      session, newerId, newer, Map.of("sent_at", System.currentTimeMillis())));
      List<ConsumerRecord<byte[], byte[]>> pongs =
          wire.readUntil(wire.pongTopic, records -> records.size() >= 5, RUN);
      assertThat(Wire.pongSessions(pongs)).containsExactlyInAnyOrderElementsOf(sessions);
      for (ConsumerRecord<byte[], byte[]> pong : pongs) {
        assertThat(avro.decode(pong.value()).getSchema().getFullName())
            .isEqualTo("dev.kafkaping.avro.Pong");
      }
      assertThat(wire.readAll(wire.pingTopic + ".DLT")).isEmpty();
    }
  }

  @Test
  void shouldAnswerAll32ConcurrentAvroSingleShots(KafkaBroker broker, RegistryProcess registry)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = startServer(wire, registry)) {
      // As README's loop runs them: with bin/ping's JVM flags (C1 only, serial GC: a plain java
      // -jar costs twice the CPU) and the default exporter with no collector listening. -W 60:
      // 32 JVMs, the broker, the registry and the server share two cores, and with a second build
      // on them a round trip took more than the default 15 s (PingClientIT holds the default).
      Map<String, String> noCollector =
          Map.of(
              "OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1");
      List<JavaProcess> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 32; i++) {
          clients.add(
              JavaProcess.start(
                  "ping-" + i,
                  List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                  Jars.PING,
                  wire.clientArgs(
                      "-W", "60", "--format", "avro", "--schema-registry", registry.url()),
                  noCollector));
        }
        Clients.awaitExitZero(clients, Duration.ofMinutes(4));
        for (JavaProcess client : clients) {
          assertThat(client.ourStderr())
              .containsExactly("ping: warning: traces could not be exported to http://127.0.0.1:1");
        }
      } finally {
        Clients.closeAll(clients);
      }
      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      Ledger ledger = Ledger.read(wire).print("32 concurrent single shots, --format avro");
      assertThat(ledger.pings()).isEqualTo(32);
      assertThat(ledger.lost()).isZero();
      assertThat(ledger.duplicated()).isZero();
      for (ConsumerRecord<byte[], byte[]> pong : wire.readAll(wire.pongTopic)) {
        assertThat(pong.value()[0]).isZero();
      }
    }
  }

  @Test
  void shouldDeadLetterAnAvroPingWhenTheServerHasNoRegistryToReadItWith(
      KafkaBroker broker, RegistryProcess registry) throws Exception {
    AvroWire avro = new AvroWire(registry.url());
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong-json-only", Map.of())) {
      int pingId = avro.register(wire.pingTopic + "-value", AvroWire.PING);
      wire.send(
          wire.pingTopic,
          "avro".getBytes(StandardCharsets.UTF_8),
          AvroWire.ping(UUID.randomUUID(), pingId));
      UUID json = UUID.randomUUID();
      wire.sendPing(json);

      Groups.awaitCommittedToEnd(wire.bootstrap, wire.group, wire.pingTopic, RUN);
      assertThat(Wire.pongSessions(wire.readAll(wire.pongTopic))).containsExactly(json.toString());
      assertThat(wire.readAll(wire.pingTopic + ".DLT"))
          .singleElement()
          .satisfies(
              copy ->
                  assertThat(header(copy, "dlt.reason"))
                      .isEqualTo(
                          "an Avro ping (schema id "
                              + pingId
                              + "), but this server has no --schema-registry to read it with"));
    }
  }

  @Test
  void shouldRefuseASecondRegistryOnTheSamePortOrDataDirInOneLine(RegistryProcess registry)
      throws Exception {
    // Refused before it creates anything in it.
    java.nio.file.Path otherDir = java.nio.file.Files.createTempDirectory("registry-other");
    try (JavaProcess samePort =
            JavaProcess.start(
                "registry-same-port",
                Jars.SCHEMA_REGISTRY,
                List.of(
                    "--port", Integer.toString(registry.port()), "--data-dir", otherDir.toString()),
                Map.of());
        JavaProcess sameDir =
            JavaProcess.start(
                "registry-same-dir",
                Jars.SCHEMA_REGISTRY,
                List.of("--port", "0", "--data-dir", registry.dataDir().toString()),
                Map.of())) {
      assertThat(samePort.awaitExit(RUN)).isEqualTo(2);
      assertThat(samePort.ourStderr())
          .containsExactly(
              "schema-registry: port "
                  + registry.port()
                  + " is in use (another registry?); stop it or pick another --port");
      assertThat(sameDir.awaitExit(RUN)).isEqualTo(2);
      assertThat(sameDir.ourStderr())
          .containsExactly(
              "schema-registry: data dir "
                  + registry.dataDir()
                  + " is in use by another registry; stop it or pick another --data-dir");
    }
    assertThat(new AvroWire(registry.url()).subjects()).startsWith("[");
    java.nio.file.Files.delete(otherDir); // fails unless the refused one left it empty
  }

  @Test
  void shouldServeTheDevRegistryOnLoopbackOnly(RegistryProcess registry) throws Exception {
    List<java.net.InetAddress> others =
        java.net.NetworkInterface.networkInterfaces()
            .flatMap(java.net.NetworkInterface::inetAddresses)
            .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
            .toList();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        others.isEmpty(), "this machine has no address but loopback");

    // Connecting on loopback works (the constructor throws if it does not) ...
    new java.net.Socket("127.0.0.1", registry.port()).close();
    // ... and on every other address of this machine it is refused.
    for (java.net.InetAddress address : others) {
      assertThatThrownBy(() -> new java.net.Socket(address, registry.port()).close())
          .as("connecting to %s:%d", address, registry.port())
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  private static JavaProcess startServer(Wire wire, RegistryProcess registry)
      throws InterruptedException {
    JavaProcess server =
        JavaProcess.start(
            "pong", Jars.PONG, wire.serverArgs("--schema-registry", registry.url()), Map.of());
    server.awaitLine(line -> line.contains("partitions assigned"), Duration.ofSeconds(90));
    return server;
  }

  private static ConsumerRecord<byte[], byte[]> single(
      List<ConsumerRecord<byte[], byte[]>> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  private static boolean registryRetryLine(String line) {
    return line.contains("waits for the schema registry") && line.contains("unreachable");
  }

  private static boolean registryAnswers(AvroWire avro) {
    try {
      avro.subjects();
      return true;
    } catch (Exception | AssertionError e) {
      return false;
    }
  }

  private static String contextValue(GenericRecord ping, String key) {
    Map<?, ?> context = (Map<?, ?>) ping.get("context");
    for (Map.Entry<?, ?> entry : context.entrySet()) {
      if (entry.getKey().toString().equals(key)) {
        return entry.getValue().toString();
      }
    }
    return null;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : Wire.text(header.value());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}

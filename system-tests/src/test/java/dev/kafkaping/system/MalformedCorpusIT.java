package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** R4: a hostile corpus interleaved with valid pings; the server answers and dead-letters. */
@ExtendWith(KafkaBrokerExtension.class)
class MalformedCorpusIT {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Each kind of bad record, by name: value bytes (null for a tombstone) and extra headers. */
  private static Map<String, ProducerRecord<byte[], byte[]>> corpus(String topic) {
    String session = UUID.randomUUID().toString();
    String validBody = "{\"body\":{\"session_id\":\"" + session + "\"}}";
    byte[] garbage = new byte[512];
    new Random(42).nextBytes(garbage);
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("empty value", new byte[0]);
    values.put("null value (tombstone)", null);
    values.put("plain text", utf8("ping"));
    values.put("JSON array", utf8("[1,2,3]"));
    values.put("JSON number", utf8("42"));
    values.put("JSON string", utf8("\"ping\""));
    values.put("JSON true", utf8("true"));
    values.put("JSON null", utf8("null"));
    values.put("missing body", utf8("{\"context\":{}}"));
    values.put("body is a string", utf8("{\"body\":\"ping\"}"));
    values.put("body is an array", utf8("{\"body\":[]}"));
    values.put("missing session_id", utf8("{\"body\":{}}"));
    values.put("null session_id", utf8("{\"body\":{\"session_id\":null}}"));
    values.put("numeric session_id", utf8("{\"body\":{\"session_id\":7}}"));
    values.put("object session_id", utf8("{\"body\":{\"session_id\":{}}}"));
    values.put("empty session_id", utf8("{\"body\":{\"session_id\":\"\"}}"));
    values.put("non-UUID session_id", utf8("{\"body\":{\"session_id\":\"not-a-uuid\"}}"));
    values.put("short-form UUID", utf8("{\"body\":{\"session_id\":\"1-2-3-4-5\"}}"));
    values.put(
        "context is an array",
        utf8("{\"context\":[],\"body\":{\"session_id\":\"" + session + "\"}}"));
    values.put(
        "context value is a number",
        utf8("{\"context\":{\"traceparent\":1},\"body\":{\"session_id\":\"" + session + "\"}}"));
    values.put(
        "invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    values.put("1 MB value", utf8("{\"pad\":\"" + "x".repeat(1_000_000) + "\"}"));
    values.put("100000-deep nesting", utf8("[".repeat(100_000) + "]".repeat(100_000)));
    values.put(
        "50-deep nesting in an extra field",
        utf8("{\"x\":" + "[".repeat(50) + "]".repeat(50) + "," + validBody.substring(1)));
    values.put("huge number", utf8("{\"n\":" + "9".repeat(10_000) + "," + validBody.substring(1)));
    values.put(
        "duplicate keys",
        utf8("{\"body\":{\"session_id\":\"" + session + "\",\"session_id\":\"" + session + "\"}}"));
    values.put("trailing garbage", utf8(validBody + "garbage"));
    values.put("truncated JSON", utf8(validBody.substring(0, 15)));
    values.put("binary garbage", garbage);
    Map<String, ProducerRecord<byte[], byte[]>> records = new LinkedHashMap<>();
    values.forEach(
        (kind, value) -> records.put(kind, new ProducerRecord<>(topic, utf8(kind), value)));
    ProducerRecord<byte[], byte[]> hugeHeader =
        new ProducerRecord<>(topic, utf8("oversized traceparent header"), utf8(validBody));
    hugeHeader.headers().add("traceparent", utf8("00-" + "a".repeat(20_000)));
    records.put("oversized traceparent header", hugeHeader);
    return records;
  }

  @Test
  void shouldDeadLetterEveryBadRecordOnceAndAnswerEveryValidPing(KafkaBroker broker)
      throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = JavaProcess.start("pong", Jars.PONG, wire.serverArgs(), Map.of())) {
      server.awaitLine(line -> line.contains("partitions assigned"), Duration.ofSeconds(90));
      Map<String, ProducerRecord<byte[], byte[]>> corpus = corpus(wire.pingTopic);
      Set<String> validSessions = new HashSet<>();
      for (ProducerRecord<byte[], byte[]> bad : corpus.values()) {
        wire.send(bad);
        UUID session = UUID.randomUUID();
        validSessions.add(session.toString());
        wire.sendPing(session);
      }
      // A valid ping whose traceparent header is malformed is still a valid ping: answered, with a
      // fresh trace (W3C says to ignore an invalid traceparent).
      UUID badHeaderSession = UUID.randomUUID();
      ProducerRecord<byte[], byte[]> badHeader =
          new ProducerRecord<>(
              wire.pingTopic,
              utf8(badHeaderSession.toString()),
              utf8(Wire.pingJson(badHeaderSession)));
      badHeader.headers().add("traceparent", utf8("00-zzzz-not-a-trace-01"));
      wire.send(badHeader);
      validSessions.add(badHeaderSession.toString());

      // Committed to the end: every valid ping answered and every bad record dead-lettered.
      Groups.awaitCommittedToEnd(
          wire.bootstrap, wire.group, wire.pingTopic, Duration.ofSeconds(90));
      List<ConsumerRecord<byte[], byte[]>> deadLetters = wire.readAll(wire.pingTopic + ".DLT");
      Ledger valid =
          Ledger.of(
                  wire.readAll(wire.pingTopic).stream()
                      .filter(r -> validSessions.contains(Wire.text(r.key())))
                      .toList(),
                  wire.readAll(wire.pongTopic))
              .print("R4 " + corpus.size() + " kinds of malformed record between valid pings");

      assertThat(valid.pings()).isEqualTo(validSessions.size());
      assertThat(valid.answered()).isEqualTo(validSessions.size());
      assertThat(valid.duplicated()).isZero();
      Map<String, ConsumerRecord<byte[], byte[]>> byKind = new LinkedHashMap<>();
      deadLetters.forEach(r -> byKind.put(Wire.text(r.key()), r));
      assertThat(byKind.keySet()).containsExactlyInAnyOrderElementsOf(corpus.keySet());
      for (Map.Entry<String, ProducerRecord<byte[], byte[]>> bad : corpus.entrySet()) {
        ConsumerRecord<byte[], byte[]> copy = byKind.get(bad.getKey());
        assertThat(copy.value()).as(bad.getKey()).isEqualTo(bad.getValue().value());
        assertThat(header(copy, "dlt.reason")).as(bad.getKey()).isNotBlank();
        assertThat(header(copy, "dlt.source.topic")).isEqualTo(wire.pingTopic);
        assertThat(header(copy, "dlt.source.offset")).matches("\\d+");
      }
      assertThat(deadLetters).hasSize(corpus.size());
      List<String> warnings =
          server.allLines().stream().filter(l -> l.contains("malformed record at")).toList();
      assertThat(warnings).hasSize(corpus.size());
      assertThat(server.allLines())
          .noneMatch(line -> line.contains("Exception") || line.contains("\tat "));
      assertThat(server.isAlive()).isTrue();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : Wire.text(header.value());
  }
}

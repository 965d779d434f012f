package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitionCanaryTest {
  private final PartitionCanary canary =
      new PartitionCanary(3, partition -> partition == 2 ? OptionalInt.empty() : OptionalInt.of(7));

  @Test
  void shouldDrawSessionIdsThatKafkasOwnPartitionerPutsOnEachPartitionInTurn() {
    for (int sequence = 1; sequence <= 30; sequence++) {
      UUID session = canary.sessionFor(sequence);
      byte[] key = session.toString().getBytes(StandardCharsets.UTF_8);
      // The producer's partitioner, and so the pong server's, for a keyed record.
      assertThat(BuiltInPartitioner.partitionForKey(key, 3))
          .as("ping %d", sequence)
          .isEqualTo((sequence - 1) % 3);
    }
  }

  @Test
  void shouldShareTheSequenceNumbersOutSoThatPingNGoesToPartitionNMinusOneModN() {
    assertThat(List.of(canary.nextSequence(0), canary.nextSequence(0), canary.nextSequence(0)))
        .containsExactly(1, 4, 7);
    assertThat(List.of(canary.nextSequence(2), canary.nextSequence(1), canary.nextSequence(2)))
        .containsExactly(3, 2, 6);
    for (int sequence = 1; sequence <= 7; sequence++) {
      assertThat(canary.partitionOf(sequence)).isEqualTo((sequence - 1) % 3);
    }
  }

  // Below 2.048 ms, where the histogram keeps three significant digits exactly.
  @Test
  void shouldKeepEachPartitionsRoundTripsApartAndPrintThemWithTheirLeader() {
    for (int sequence = 1; sequence <= 6; sequence++) {
      canary.transmitted(sequence);
    }
    canary.received(1, 1.0); // partition 0
    canary.received(4, 2.0); // partition 0
    canary.received(2, 1.5); // partition 1; 5 is lost

    List<PartitionCanary.PartitionSummary> summary = canary.summary(1000);
    assertThat(summary).extracting(s -> s.statistics().received()).containsExactly(2, 1, 0);
    assertThat(summary).extracting(s -> s.statistics().transmitted()).containsExactly(2, 2, 2);

    StringWriter text = new StringWriter();
    new ReplyPrinter(new PrintWriter(text), AnswerKind.PONG, false, false, false)
        .summary(new Statistics().summary(1000), summary);
    assertThat(text.toString().lines().filter(line -> line.startsWith("partition ")))
        .containsExactly(
            "partition 0 leader 7: 2 transmitted, 2 received, 0% loss, rtt p50/p99 = 1.000/2.000"
                + " ms",
            "partition 1 leader 7: 2 transmitted, 1 received, 50% loss, rtt p50/p99 = 1.500/1.500"
                + " ms",
            "partition 2 leader none: 2 transmitted, 0 received, 100% loss");

    StringWriter json = new StringWriter();
    new ReplyPrinter(new PrintWriter(json), AnswerKind.PONG, true, false, false)
        .summary(new Statistics().summary(1000), summary);
    assertThat(json.toString())
        .contains(
            "\"partitions\":[{\"partition\":0,\"leader\":7,\"transmitted\":2,\"received\":2,"
                + "\"loss_percent\":0.0,\"rtt_ms\":{\"p50\":1.0,\"p99\":2.0}},")
        .contains("{\"partition\":2,\"leader\":null,\"transmitted\":2,\"received\":0,");
  }
}

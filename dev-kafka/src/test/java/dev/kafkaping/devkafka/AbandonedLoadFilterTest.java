package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AbandonedLoadFilterTest {
  // As a node printed them in CI when the whole cluster stopped right after it started.
  private static final String ABANDONED =
      "[group-coordinator-event-processor-2] ERROR"
          + " org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime - [GroupCoordinator"
          + " id=2] Failed to load metadata from __consumer_offsets-0 with epoch 1 due to Stopped"
          + " loading records from __consumer_offsets-0 because the partition is not online or is"
          + " no longer the leader..";
  private static final String ITS_EXCEPTION =
      "org.apache.kafka.common.errors.NotLeaderOrFollowerException: Stopped loading records from"
          + " __consumer_offsets-0 because the partition is not online or is no longer the leader.";

  @Test
  void shouldDropTheAbandonedLoadAndItsException() {
    assertThat(AbandonedLoadFilter.drops(ABANDONED, false)).isTrue();
    assertThat(AbandonedLoadFilter.drops(ITS_EXCEPTION, true)).isTrue();
  }

  @Test
  void shouldPassEveryOtherLineUnchangedAsTheLoggerWritesIt() {
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    PrintStream err =
        new PrintStream(new AbandonedLoadFilter(written), true, StandardCharsets.UTF_8);
    err.println("[main] WARN before");
    err.println(ABANDONED);
    err.println(ITS_EXCEPTION);
    err.print("[main] ERROR after, ");
    err.flush();
    err.println("in two writes");

    assertThat(written.toString(StandardCharsets.UTF_8))
        .isEqualTo("[main] WARN before\n[main] ERROR after, in two writes\n");
  }

  @Test
  void shouldPassTheExceptionLineWhenItFollowsAnotherLine() {
    assertThat(AbandonedLoadFilter.drops(ITS_EXCEPTION, false)).isFalse();
  }

  @Test
  void shouldPassEveryOtherErrorOfTheCoordinator() {
    assertThat(
            AbandonedLoadFilter.drops(
                ABANDONED.replace(
                    "because the partition is not online or is no longer the leader",
                    "because the log is corrupt"),
                false))
        .isFalse();
    assertThat(AbandonedLoadFilter.drops("[main] WARN kafka.server.KafkaServer - anything", true))
        .isFalse();
  }
}

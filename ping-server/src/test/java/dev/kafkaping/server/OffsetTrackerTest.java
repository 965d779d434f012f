package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("ping", 0);
  private static final TopicPartition P1 = new TopicPartition("ping", 1);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void shouldNotCommitPastAnUnansweredPingWhenLaterOnesFinishFirst() {
    tracker.started(P0, 10);
    tracker.started(P0, 11);
    tracker.started(P0, 12);
    tracker.finished(P0, 11);
    tracker.finished(P0, 12);

    assertThat(tracker.takeCommittable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(10)));

    tracker.finished(P0, 10);
    assertThat(tracker.takeCommittable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(13)));
  }

  @Test
  void shouldReportEachAdvanceOnlyOnceWhenNothingChanged() {
    tracker.started(P0, 0);
    tracker.finished(P0, 0);

    assertThat(tracker.takeCommittable()).containsEntry(P0, new OffsetAndMetadata(1));
    assertThat(tracker.takeCommittable()).isEmpty();
  }

  @Test
  void shouldTrackPartitionsIndependentlyWhenOneIsBlocked() {
    tracker.started(P0, 5);
    tracker.started(P1, 7);
    tracker.finished(P1, 7);

    assertThat(tracker.takeCommittable())
        .containsEntry(P0, new OffsetAndMetadata(5))
        .containsEntry(P1, new OffsetAndMetadata(8));
    assertThat(tracker.pending(P0)).isEqualTo(1);
    assertThat(tracker.pending(P1)).isZero();
  }

  @Test
  void shouldIgnoreCompletionsWhenThePartitionWasForgotten() {
    tracker.started(P0, 3);
    tracker.forget(P0);
    tracker.finished(P0, 3);

    assertThat(tracker.takeCommittable()).isEmpty();
    assertThat(tracker.pending(P0)).isZero();
  }
}

package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InFlightOffsetsTest {
  private static final TopicPartition P0 = new TopicPartition("ping", 0);
  private static final TopicPartition P1 = new TopicPartition("ping", 1);
  private final InFlightOffsets offsets = new InFlightOffsets();

  @Test
  void shouldNotCommitPastAnUnansweredPingWhenLaterOnesFinishFirst() {
    InFlightOffsets.Ticket first = offsets.started(P0, 10);
    offsets.finished(offsets.started(P0, 11));
    offsets.finished(offsets.started(P0, 12));

    assertThat(offsets.startAsyncCommit()).containsExactly(Map.entry(P0, at(10)));

    offsets.finished(first);
    assertThat(offsets.startAsyncCommit()).containsExactly(Map.entry(P0, at(13)));
  }

  @Test
  void shouldNotRequestTheSameOffsetsTwiceWhileACommitIsUnderWay() {
    offsets.finished(offsets.started(P0, 0));

    assertThat(offsets.startAsyncCommit()).containsEntry(P0, at(1));
    assertThat(offsets.startAsyncCommit()).isEmpty();
  }

  @Test
  void shouldOfferOffsetsAgainWhenTheirCommitFailedAndNothingElseHappens() {
    offsets.finished(offsets.started(P0, 0));
    Map<TopicPartition, OffsetAndMetadata> requested = offsets.startAsyncCommit();

    offsets.commitFailed(requested);

    assertThat(offsets.startAsyncCommit()).containsExactly(Map.entry(P0, at(1)));
    assertThat(offsets.confirmed(P0)).isEqualTo(-1);
  }

  @Test
  void shouldMarkOffsetsConfirmedOnlyWhenTheBrokerAcceptedThem() {
    offsets.finished(offsets.started(P0, 0));
    Map<TopicPartition, OffsetAndMetadata> requested = offsets.startAsyncCommit();
    assertThat(offsets.unconfirmed()).containsExactly(Map.entry(P0, at(1)));

    offsets.commitSucceeded(requested);

    assertThat(offsets.confirmed(P0)).isEqualTo(1);
    assertThat(offsets.unconfirmed()).isEmpty();
    assertThat(offsets.startAsyncCommit()).isEmpty();
  }

  @Test
  void shouldLeaveKeptPartitionsUnconfirmedWhenOnlyRevokedOnesAreCommitted() {
    offsets.finished(offsets.started(P0, 0));
    offsets.finished(offsets.started(P1, 0));

    Map<TopicPartition, OffsetAndMetadata> revoked = offsets.unconfirmed(List.of(P1));
    offsets.commitSucceeded(revoked);
    offsets.forget(List.of(P1));

    assertThat(revoked).containsExactly(Map.entry(P1, at(1)));
    assertThat(offsets.startAsyncCommit()).containsExactly(Map.entry(P0, at(1)));
  }

  @Test
  void shouldIgnoreAPingOfAnEarlierOwnershipWhenThePartitionCameBack() {
    InFlightOffsets.Ticket old = offsets.started(P0, 5);
    offsets.forget(List.of(P0));
    offsets.started(P0, 5); // polled again by the new ownership, still running

    offsets.finished(old);

    assertThat(offsets.unfinished(P0)).isEqualTo(1);
    assertThat(offsets.startAsyncCommit()).containsExactly(Map.entry(P0, at(5)));
  }

  @Test
  void shouldCountGivenUpPingsAsUnfinishedWhenNothingFinishedThem() {
    offsets.started(P0, 3);
    offsets.finished(offsets.started(P0, 4));

    assertThat(offsets.unfinished()).isEqualTo(1);
    assertThat(offsets.unconfirmed()).containsExactly(Map.entry(P0, at(3)));
  }

  private static OffsetAndMetadata at(long offset) {
    return new OffsetAndMetadata(offset);
  }
}

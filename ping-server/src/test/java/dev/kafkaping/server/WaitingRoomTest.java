package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Pings waiting for the schema registry: one scout at a time, all released when it gets through.
 */
class WaitingRoomTest {
  private final WaitingRoom room = new WaitingRoom(3);
  private long now = 1_000_000_000L;

  private static ConsumerRecord<byte[], byte[]> ping(int partition, long offset) {
    return new ConsumerRecord<>("ping", partition, offset, new byte[0], new byte[0]);
  }

  private void after(Duration duration) {
    now += duration.toNanos();
  }

  @Test
  void shouldSendOneScoutAfterTheFirstRetryIntervalAndNoSecondWhileItIsOut() {
    ConsumerRecord<byte[], byte[]> first = ping(0, 1);
    room.admit(first, now);
    room.admit(ping(0, 2), now);

    assertThat(room.scoutIfDue(now)).isEmpty();
    after(WaitingRoom.FIRST_RETRY);
    assertThat(room.scoutIfDue(now)).containsSame(first);
    after(Duration.ofSeconds(10));
    assertThat(room.scoutIfDue(now)).as("a second scout while one is out").isEmpty();
  }

  @Test
  void shouldDoubleTheRetryIntervalUpToFiveSecondsWhileScoutsComeBack() {
    ConsumerRecord<byte[], byte[]> ping = ping(0, 1);
    room.admit(ping, now);
    Duration expected = WaitingRoom.FIRST_RETRY;
    for (int round = 0; round < 6; round++) {
      after(expected.minusMillis(1));
      assertThat(room.scoutIfDue(now)).as("before %s in round %d", expected, round).isEmpty();
      after(Duration.ofMillis(1));
      assertThat(room.scoutIfDue(now)).containsSame(ping);
      room.admit(ping, now); // the registry is still down
      expected = min(expected.multipliedBy(2), WaitingRoom.MAX_RETRY);
    }
    assertThat(expected).isEqualTo(WaitingRoom.MAX_RETRY);
  }

  @Test
  void shouldReleaseEveryWaitingPingOldestFirstWhenTheScoutGetsThrough() {
    ConsumerRecord<byte[], byte[]> a = ping(0, 1);
    ConsumerRecord<byte[], byte[]> b = ping(1, 7);
    ConsumerRecord<byte[], byte[]> c = ping(0, 2);
    room.admit(a, now);
    room.admit(b, now);
    room.admit(c, now);
    after(WaitingRoom.FIRST_RETRY);
    ConsumerRecord<byte[], byte[]> scout = room.scoutIfDue(now).orElseThrow();

    assertThat(room.release(ping(2, 0))).as("not the scout").isEmpty();
    assertThat(room.release(scout)).containsExactly(b, c);
    assertThat(room.size()).isZero();
  }

  @Test
  void shouldBeFullAtItsCapacitySoThatConsumptionPauses() {
    room.admit(ping(0, 1), now);
    room.admit(ping(0, 2), now);
    assertThat(room.full()).isFalse();
    room.admit(ping(0, 3), now);
    assertThat(room.full()).isTrue();
  }

  @Test
  void shouldForgetThePingsAndTheScoutOfPartitionsThatMovedAway() {
    ConsumerRecord<byte[], byte[]> moving = ping(0, 1);
    room.admit(moving, now);
    room.admit(ping(1, 1), now);
    after(WaitingRoom.FIRST_RETRY);
    assertThat(room.scoutIfDue(now)).containsSame(moving);

    room.drop(List.of(new TopicPartition("ping", 0)));

    assertThat(room.size()).isEqualTo(1);
    after(WaitingRoom.MAX_RETRY);
    assertThat(room.scoutIfDue(now)).as("the next scout, from the kept partition").isPresent();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

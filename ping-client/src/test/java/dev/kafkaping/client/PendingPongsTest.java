package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class PendingPongsTest {
  private final PendingPongs pending = new PendingPongs();
  private final UUID sessionId = UUID.randomUUID();
  private final List<PingMessage> received = new ArrayList<>();
  private final List<DuplicatePong> duplicates = new ArrayList<>();

  PendingPongsTest() {
    pending.onDuplicate(duplicates::add);
  }

  @Test
  void shouldHandAPongToItsSessionOnceAndReportTheSecondAsADuplicateWhenItArrivesTwice() {
    pending.register(new PendingPongs.Session(sessionId, 7, "abc", received::add));
    pending.handedOver(sessionId, 1_000_000);
    PingMessage.PongReceived first = pong(sessionId, 1, 42, 3_000_000);
    PingMessage.PongReceived second = pong(sessionId, 2, 9, 5_500_000);

    assertThat(pending.deliver(first)).isEqualTo(PendingPongs.Match.ANSWERED);
    pending.unregister(sessionId); // as the session does once it has its pong
    assertThat(pending.deliver(second)).isEqualTo(PendingPongs.Match.DUPLICATE);

    assertThat(received).containsExactly(first);
    assertThat(duplicates).containsExactly(new DuplicatePong(7, sessionId, 2, 9, 60, 4.5, "abc"));
  }

  @Test
  void shouldReportNoDuplicateWhenThePongOfASessionThatEndedWithoutItComesLate() {
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));
    pending.unregister(sessionId); // timed out

    assertThat(pending.deliver(pong(sessionId))).isEqualTo(PendingPongs.Match.NOT_OURS);
    assertThat(received).isEmpty();
    assertThat(duplicates).isEmpty();
  }

  @Test
  void shouldTellFromTheKeyWhetherARecordCanBeAPongOfOurs() {
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));
    UUID answered = UUID.randomUUID();
    pending.register(new PendingPongs.Session(answered, 2, null, received::add));
    pending.deliver(pong(answered));
    pending.unregister(answered);

    assertThat(pending.mayBeOurs(key(sessionId.toString()))).isTrue();
    assertThat(pending.mayBeOurs(key(answered.toString()))).as("a duplicate's").isTrue();
    assertThat(pending.mayBeOurs(key(UUID.randomUUID().toString()))).isFalse();
    // A third party's pong without a session-id key cannot be told apart: it is read.
    assertThat(pending.mayBeOurs(null)).isTrue();
    assertThat(pending.mayBeOurs(key("not-a-session"))).isTrue();
    pending.unregister(sessionId);
    assertThat(pending.mayBeOurs(key(sessionId.toString()))).isFalse();
  }

  private static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldIgnoreAPongWhenItIsAnotherClientsEvenAfterAnAnswer() {
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));
    pending.deliver(pong(sessionId));

    assertThat(pending.deliver(pong(UUID.randomUUID()))).isEqualTo(PendingPongs.Match.NOT_OURS);
    assertThat(received).hasSize(1);
    assertThat(duplicates).isEmpty();
  }

  @Test
  void shouldFailEverySessionWhenTheListenerStopsBeforeOrAfterItRegisters() {
    KafkaException error = new KafkaException("not allowed to read 'pong'");
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));

    pending.failAll(error);
    List<PingMessage> later = new ArrayList<>();
    pending.register(new PendingPongs.Session(UUID.randomUUID(), 2, null, later::add));

    assertThat(received).containsExactly(new PingMessage.ListenerFailed(error));
    assertThat(later).containsExactly(new PingMessage.ListenerFailed(error));
  }

  @Test
  void shouldTellWhetherAnyPongCameWithinTheWait() throws Exception {
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));

    assertThat(pending.awaitFirstPong(Duration.ofMillis(10))).isFalse();
    pending.deliver(pong(UUID.randomUUID())); // someone else's pong does not count
    assertThat(pending.awaitFirstPong(Duration.ZERO)).isFalse();
    pending.deliver(pong(sessionId));
    assertThat(pending.awaitFirstPong(Duration.ZERO)).isTrue();
  }

  @Test
  void shouldNotFailARunThatWasAnsweredBeforeTheLateVerdict() {
    UUID second = UUID.randomUUID();
    List<PingMessage> secondReceived = new ArrayList<>();
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));
    pending.register(new PendingPongs.Session(second, 2, null, secondReceived::add));
    pending.deliver(pong(sessionId));

    assertThat(pending.failAllUnlessAnswered(new KafkaException("nobody there"))).isFalse();

    assertThat(secondReceived).isEmpty();
    assertThat(pending.failure()).isEmpty();
  }

  @Test
  void shouldFailEveryWaitingSessionWhenTheLateVerdictComesBeforeAnyPong() {
    KafkaException nobody = new KafkaException("nobody there");
    pending.register(new PendingPongs.Session(sessionId, 1, null, received::add));

    assertThat(pending.failAllUnlessAnswered(nobody)).isTrue();

    assertThat(received).containsExactly(new PingMessage.ListenerFailed(nobody));
    assertThat(pending.failure()).contains(nobody);
  }

  private static PingMessage.PongReceived pong(UUID sessionId) {
    return pong(sessionId, 1, 42, 0);
  }

  private static PingMessage.PongReceived pong(
      UUID sessionId, int partition, long offset, long receivedNanos) {
    return new PingMessage.PongReceived(
        sessionId, partition, offset, 60, receivedNanos, Context.root());
  }
}

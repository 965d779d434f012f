package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.message.Pong;
import io.opentelemetry.context.Context;
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

  @Test
  void shouldHandAPongToItsSessionOnceWhenItArrivesTwice() {
    pending.register(sessionId, received::add);
    PingMessage.PongReceived pong = pong(sessionId);

    assertThat(pending.deliver(pong)).isTrue();
    assertThat(pending.deliver(pong)).isFalse();

    assertThat(received).containsExactly(pong);
  }

  @Test
  void shouldTellFromTheKeyWhetherARecordCanBeAWaitingSessionsPong() {
    pending.register(sessionId, received::add);

    assertThat(pending.mayWaitFor(key(sessionId.toString()))).isTrue();
    assertThat(pending.mayWaitFor(key(UUID.randomUUID().toString()))).isFalse();
    // A third party's pong without a session-id key cannot be told apart: it is read.
    assertThat(pending.mayWaitFor(null)).isTrue();
    assertThat(pending.mayWaitFor(key("not-a-session"))).isTrue();
    pending.unregister(sessionId);
    assertThat(pending.mayWaitFor(key(sessionId.toString()))).isFalse();
  }

  private static byte[] key(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void shouldIgnoreAPongWhenNoSessionWaitsForIt() {
    pending.register(sessionId, received::add);

    assertThat(pending.deliver(pong(UUID.randomUUID()))).isFalse();
    assertThat(received).isEmpty();
  }

  @Test
  void shouldIgnoreAPongWhenItsSessionHasEnded() {
    pending.register(sessionId, received::add);
    pending.unregister(sessionId);

    assertThat(pending.deliver(pong(sessionId))).isFalse();
    assertThat(received).isEmpty();
  }

  @Test
  void shouldFailEverySessionWhenTheListenerStopsBeforeOrAfterItRegisters() {
    KafkaException error = new KafkaException("not allowed to read 'pong'");
    pending.register(sessionId, received::add);

    pending.failAll(error);
    List<PingMessage> later = new ArrayList<>();
    pending.register(UUID.randomUUID(), later::add);

    assertThat(received).containsExactly(new PingMessage.ListenerFailed(error));
    assertThat(later).containsExactly(new PingMessage.ListenerFailed(error));
  }

  @Test
  void shouldTellWhetherAnyPongCameWithinTheWait() throws Exception {
    pending.register(sessionId, received::add);

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
    pending.register(sessionId, received::add);
    pending.register(second, secondReceived::add);
    pending.deliver(pong(sessionId));

    assertThat(pending.failAllUnlessAnswered(new KafkaException("nobody there"))).isFalse();

    assertThat(secondReceived).isEmpty();
    assertThat(pending.failure()).isEmpty();
  }

  @Test
  void shouldFailEveryWaitingSessionWhenTheLateVerdictComesBeforeAnyPong() {
    KafkaException nobody = new KafkaException("nobody there");
    pending.register(sessionId, received::add);

    assertThat(pending.failAllUnlessAnswered(nobody)).isTrue();

    assertThat(received).containsExactly(new PingMessage.ListenerFailed(nobody));
    assertThat(pending.failure()).contains(nobody);
  }

  private static PingMessage.PongReceived pong(UUID sessionId) {
    return new PingMessage.PongReceived(new Pong(sessionId), 1, 42, 0, Context.root());
  }
}

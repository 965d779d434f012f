package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the responder check turns to the broker. It builds its admin client only once the first pong
 * is late, and an admin client that cannot be built tells every waiting session at once: so with a
 * setting only the admin client refuses, the moment a session is told is the moment the check
 * asked, and a session never told means the check never asked.
 */
@Timeout(30)
class LateResponderCheckTest {
  // The admin client refuses bootstrap.controllers next to bootstrap.servers; nothing else here
  // builds a Kafka client.
  private static final Map<String, String> ONLY_ADMIN_REFUSES =
      Map.of("bootstrap.controllers", "127.0.0.1:1");

  private final PendingPongs pending = new PendingPongs();

  /** What a waiting session was told, and when. */
  private record Told(PingMessage message, long nanos) {}

  @BeforeAll
  static void loadTheAdminClient() {
    // The first Admin.create in a JVM loads its classes: not what the timings below are about.
    assertThat(
            catchThrowable(
                () -> Admin.create(KafkaSettings.admin(config(Duration.ofSeconds(15), null)))))
        .isNotNull();
  }

  private static PingConfig config(Duration timeout, Duration deadline) {
    return PingConfigs.config(timeout, deadline, 1, ONLY_ADMIN_REFUSES);
  }

  private CompletableFuture<Told> waitingSession(UUID id) {
    CompletableFuture<Told> told = new CompletableFuture<>();
    pending.register(
        new PendingPongs.Session(id, 1, null, m -> told.complete(new Told(m, System.nanoTime()))));
    return told;
  }

  /** How long after {@code startNanos} the check asked, as the waiting session saw it. */
  private static Duration askedAfter(CompletableFuture<Told> told, long startNanos) {
    assertThat(told).succeedsWithin(Duration.ofSeconds(10));
    Told first = told.join();
    assertThat(first.message())
        .isInstanceOfSatisfying(
            PingMessage.ListenerFailed.class,
            failed -> assertThat(failed.error()).hasMessageContaining("bootstrap.controllers"));
    return Duration.ofNanos(first.nanos() - startNanos);
  }

  @Test
  void shouldAskOneSecondAfterTheStartWhenNoPongCameAndTheTimeoutIsLong() {
    CompletableFuture<Told> told = waitingSession(UUID.randomUUID());

    long started = System.nanoTime();
    try (LateResponderCheck check =
        LateResponderCheck.start(config(Duration.ofSeconds(15), null), pending)) {
      // A third of -W would be 5 s.
      assertThat(askedAfter(told, started))
          .isGreaterThanOrEqualTo(LateResponderCheck.GRACE)
          .isLessThan(Duration.ofSeconds(3));
    }
    assertThat(LateResponderCheck.GRACE).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shouldAskAfterAThirdOfTheTimeoutWhenThatIsShorterThanOneSecond() {
    CompletableFuture<Told> told = waitingSession(UUID.randomUUID());

    long started = System.nanoTime();
    try (LateResponderCheck check =
        LateResponderCheck.start(config(Duration.ofMillis(600), null), pending)) {
      assertThat(askedAfter(told, started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200))
          .isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void shouldAskAfterAThirdOfTheDeadlineWhenTheDeadlineIsShorterThanTheTimeout() {
    CompletableFuture<Told> told = waitingSession(UUID.randomUUID());

    long started = System.nanoTime();
    try (LateResponderCheck check =
        LateResponderCheck.start(config(Duration.ofSeconds(15), Duration.ofMillis(900)), pending)) {
      assertThat(askedAfter(told, started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300))
          .isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void shouldNeverBuildAnAdminClientWhenAPongComesInTime() {
    UUID answered = UUID.randomUUID();
    CompletableFuture<Told> first = waitingSession(answered);
    CompletableFuture<Told> second = waitingSession(UUID.randomUUID());

    try (LateResponderCheck check =
        LateResponderCheck.start(config(Duration.ofSeconds(15), null), pending)) {
      pending.deliver(
          new PingMessage.PongReceived(answered, 0, 0, 60, System.nanoTime(), Context.root()));

      // Had the check asked, the session still waiting would have been told within the grace.
      await()
          .during(LateResponderCheck.GRACE.plusSeconds(1))
          .atMost(LateResponderCheck.GRACE.plusSeconds(3))
          .until(() -> !second.isDone());
    }
    assertThat(first.join().message()).isInstanceOf(PingMessage.PongReceived.class);
  }

  @Test
  void shouldNotAskWhenTheRunIsOverBeforeTheFirstPongIsLate() {
    CompletableFuture<Told> told = waitingSession(UUID.randomUUID());

    LateResponderCheck.start(config(Duration.ofSeconds(15), null), pending).close();

    await()
        .during(LateResponderCheck.GRACE.plusSeconds(1))
        .atMost(LateResponderCheck.GRACE.plusSeconds(3))
        .until(() -> !told.isDone());
  }
}

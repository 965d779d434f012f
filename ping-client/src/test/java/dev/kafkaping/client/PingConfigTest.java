package dev.kafkaping.client;

import static dev.kafkaping.client.PingConfigs.config;
import static dev.kafkaping.client.PingConfigs.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PingConfigTest {
  private static final Duration W15 = Duration.ofSeconds(15);
  private static final long SECOND = 1_000_000_000L;

  @Test
  void shouldLetSendsBlockForThePongWaitWhenNoDeadlineIsGiven() {
    assertThat(config(W15, null).sendTimeout()).isEqualTo(W15);
  }

  @Test
  void shouldLetSendsBlockOnlyUntilTheDeadlineWhenItIsShorterThanThePongWait() {
    assertThat(config(W15, Duration.ofSeconds(5)).sendTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldLetSendsBlockForThePongWaitWhenTheDeadlineIsLonger() {
    assertThat(config(W15, Duration.ofSeconds(60)).sendTimeout()).isEqualTo(W15);
  }

  @Test
  void shouldAllowTwoMinutesOfSetupWhenNoShorterDeadlineIsGiven() {
    assertThat(config(W15, null).setupTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config(W15, Duration.ofMinutes(5)).setupTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shouldGiveTheFlushTwoSecondsWhenNoDeadlineIsGiven() {
    assertThat(config(W15, null).flushTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldCutTheFlushToWhatIsLeftOfTheDeadlineButNotBelowTheMinimumWhenItHasPassed() {
    Deadline passed = new Deadline(Optional.of(Duration.ofSeconds(1)), System.nanoTime() - SECOND);
    Deadline halfLeft =
        new Deadline(Optional.of(Duration.ofSeconds(2)), System.nanoTime() - SECOND);

    assertThat(run(1, W15, W15, passed).flushTimeout()).isEqualTo(PingConfig.MIN_FLUSH);
    assertThat(run(1, W15, W15, halfLeft).flushTimeout())
        .isBetween(PingConfig.MIN_FLUSH, Duration.ofSeconds(1));
  }

  @Test
  void shouldBoundTheSetupByTheDeadlineWhenItIsShorter() {
    assertThat(config(W15, Duration.ofSeconds(30)).setupTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }
}

package dev.kafkaping.client;

import static dev.kafkaping.client.PingConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PingConfigTest {
  private static final Duration W15 = Duration.ofSeconds(15);

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
  void shouldBoundTheSetupByTheDeadlineWhenItIsShorter() {
    assertThat(config(W15, Duration.ofSeconds(30)).setupTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }
}

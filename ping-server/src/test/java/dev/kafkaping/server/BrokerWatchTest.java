package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BrokerWatchTest {
  private static final long START = 1_000_000_000L;
  private final BrokerWatch watch = new BrokerWatch("b:9092", START);

  private static long at(Duration sinceStart) {
    return START + sinceStart.toNanos();
  }

  @Test
  void shouldReportALossWhenNothingAnswersForFiveSeconds() {
    watch.update(true, at(Duration.ofSeconds(1)));
    watch.update(false, at(Duration.ofSeconds(5)));
    assertThat(watch.connected()).isTrue(); // silent for 4 s: not yet

    watch.update(false, at(Duration.ofMillis(6_000)));
    assertThat(watch.connected()).isFalse();
  }

  @Test
  void shouldReportTheRecoveryAtTheFirstAnswer() {
    watch.update(false, at(Duration.ofSeconds(9)));
    assertThat(watch.connected()).isFalse();

    watch.update(true, at(Duration.ofSeconds(10)));
    assertThat(watch.connected()).isTrue();
  }

  @Test
  void shouldStartTheSilenceOverAfterEachAnswer() {
    watch.update(false, at(Duration.ofSeconds(4)));
    watch.update(true, at(Duration.ofSeconds(4)));
    watch.update(false, at(Duration.ofSeconds(8)));

    assertThat(watch.connected()).isTrue();
  }
}

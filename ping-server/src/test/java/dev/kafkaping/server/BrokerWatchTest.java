package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerWatchTest {
  private final BrokerWatch watch = new BrokerWatch("b:9092");

  @Test
  void shouldReportALossWhenHeartbeatsStopBeingAnswered() {
    watch.update(1.0);
    watch.update(7.0);

    assertThat(watch.connected()).isFalse();
  }

  @Test
  void shouldReportTheRecoveryWhenHeartbeatsAreAnsweredAgain() {
    watch.update(9.0);
    watch.update(4.0); // between the two thresholds: not yet
    assertThat(watch.connected()).isFalse();

    watch.update(0.5);
    assertThat(watch.connected()).isTrue();
  }

  @Test
  void shouldNotCallItALossBeforeTheFirstHeartbeat() {
    watch.update(1.7e9);

    assertThat(watch.connected()).isTrue();
  }
}

package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {

  @Test
  void shouldComputeIputilsFiguresWhenGivenKnownRoundTrips() {
    Statistics statistics = new Statistics();
    double[] rtts = {1.0, 2.0, 3.0, 4.0, 10.0};
    for (double rtt : rtts) {
      statistics.transmitted();
      statistics.received(rtt);
    }
    statistics.transmitted(); // one lost

    Statistics.Summary summary = statistics.summary(1234.0);

    assertThat(summary.transmitted()).isEqualTo(6);
    assertThat(summary.received()).isEqualTo(5);
    assertThat(summary.lossPercent()).isCloseTo(16.667, within(0.001));
    assertThat(summary.min()).isEqualTo(1.0);
    assertThat(summary.max()).isEqualTo(10.0);
    assertThat(summary.avg()).isEqualTo(4.0);
    // population standard deviation, as iputils' mdev: sqrt(mean(x^2) - mean^2) = sqrt(26 - 16)
    assertThat(summary.mdev()).isCloseTo(Math.sqrt(10), within(1e-9));
    assertThat(summary.p50()).isCloseTo(3.0, within(0.01));
    assertThat(summary.p90()).isCloseTo(10.0, within(0.01));
  }

  @Test
  void shouldCountDuplicatesApartWhenAPongComesTwice() {
    Statistics statistics = new Statistics();
    statistics.transmitted();
    statistics.transmitted();
    statistics.received(2.0);
    statistics.duplicate();
    statistics.duplicate();

    Statistics.Summary summary = statistics.summary(10);

    assertThat(summary.received()).isEqualTo(1);
    assertThat(summary.duplicates()).isEqualTo(2);
    assertThat(summary.lossPercent()).isEqualTo(50.0);
    assertThat(summary.avg()).isEqualTo(2.0);
  }

  @Test
  void shouldReportZerosWhenNothingWasReceived() {
    Statistics statistics = new Statistics();
    statistics.transmitted();

    Statistics.Summary summary = statistics.summary(10);

    assertThat(summary.lossPercent()).isEqualTo(100.0);
    assertThat(summary.min()).isZero();
    assertThat(summary.p99()).isZero();
  }
}

package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private static final Duration W15 = Duration.ofSeconds(15);

  @Test
  void shouldNeverPassWhenNoDeadlineIsGiven() {
    Deadline none = Deadline.startingNow(Optional.empty());

    assertThat(none.given()).isFalse();
    assertThat(none.passed()).isFalse();
    assertThat(none.nanosLeft()).isEqualTo(Long.MAX_VALUE);
    assertThat(none.within(W15)).isEqualTo(W15);
  }

  @Test
  void shouldCountFromTheStartWhenTheStartWasEarlier() {
    Deadline started10sAgo =
        new Deadline(Optional.of(Duration.ofSeconds(12)), System.nanoTime() - 10_000_000_000L);

    assertThat(started10sAgo.passed()).isFalse();
    assertThat(started10sAgo.within(W15)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(started10sAgo.within(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void shouldLeaveNothingWhenPassed() {
    Deadline passed =
        new Deadline(Optional.of(Duration.ofSeconds(1)), System.nanoTime() - 2_000_000_000L);

    assertThat(passed.passed()).isTrue();
    assertThat(passed.nanosLeft()).isNegative();
    assertThat(passed.within(W15)).isZero();
  }
}

package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void shouldLetTheFirstLineThroughAndCountTheRestWithinTheInterval() {
    Throttle throttle = new Throttle(Duration.ofHours(1));

    assertThat(throttle.suppressedSinceLastLine()).isZero();
    assertThat(throttle.suppressedSinceLastLine()).isEqualTo(-1);
    assertThat(throttle.suppressedSinceLastLine()).isEqualTo(-1);
  }

  @Test
  void shouldReportHowManyWereHeldBackWhenTheNextLineIsDue() {
    AtomicLong now = new AtomicLong();
    Throttle throttle = new Throttle(Duration.ofNanos(10), now::get);
    throttle.suppressedSinceLastLine();
    throttle.suppressedSinceLastLine();
    throttle.suppressedSinceLastLine();

    now.set(10);

    assertThat(throttle.suppressedSinceLastLine()).isEqualTo(2);
    assertThat(throttle.suppressedSinceLastLine()).isEqualTo(-1);
  }
}

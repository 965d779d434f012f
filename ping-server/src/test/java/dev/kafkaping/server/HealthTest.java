package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthTest {
  private static final long NOW = Duration.ofHours(1).toNanos();
  private static final Health.Numbers SERVING = new Health.Numbers(3, true, 10, 9, 1, 0, 0);

  private static Health health(Health.Phase phase, Duration sinceLastPoll, Health.Numbers numbers) {
    return Health.of(phase, NOW, NOW - sinceLastPoll.toNanos(), numbers);
  }

  @Test
  void shouldBeLiveAndReadyWhileServingWithPartitionsAndABroker() {
    Health health = health(Health.Phase.SERVING, Duration.ofMillis(100), SERVING);
    assertThat(health.live().ok()).isTrue();
    assertThat(health.ready().ok()).isTrue();
    assertThat(health.json("ready", health.ready()))
        .isEqualTo(
            "{\"status\":\"ready\",\"reason\":\"answering\",\"partitions\":3,\"broker\":\"answering\","
                + "\"pings_received\":10,\"pongs_sent\":9,\"in_flight\":1,\"dead_lettered\":0,"
                + "\"failed_attempts\":0}");
  }

  @Test
  void shouldNotBeLiveWhenNoPollSucceededForLongerThanTheStallBound() {
    Duration stalled = Health.STALLED_AFTER.plusSeconds(1);
    Health health = health(Health.Phase.SERVING, stalled, SERVING);
    assertThat(health.live()).isEqualTo(new Health.Verdict(false, "no successful poll for 16 s"));
    assertThat(health.ready()).as("a stuck loop answers nothing").isEqualTo(health.live());
    assertThat(health(Health.Phase.SERVING, Health.STALLED_AFTER, SERVING).live().ok()).isTrue();
  }

  @Test
  void shouldNotBeLiveWhenTheLoopEndedWithoutAStop() {
    Health health = health(Health.Phase.ENDED, Duration.ZERO, SERVING);
    assertThat(health.live().ok()).isFalse();
    assertThat(health.ready().ok()).isFalse();
  }

  @Test
  void shouldStayLiveButNotReadyWhileStartingOrStopping() {
    for (Health.Phase phase : new Health.Phase[] {Health.Phase.STARTING, Health.Phase.STOPPING}) {
      // However long ago the last poll: a stop waits for running pings up to their budget.
      Health health = health(phase, Duration.ofMinutes(5), SERVING);
      assertThat(health.live().ok()).as(phase.name()).isTrue();
      assertThat(health.ready().ok()).as(phase.name()).isFalse();
    }
  }

  @Test
  void shouldNotBeReadyWithoutTheBrokerOrWithoutPartitions() {
    Health lost =
        health(Health.Phase.SERVING, Duration.ZERO, new Health.Numbers(3, false, 0, 0, 0, 0, 0));
    assertThat(lost.ready()).isEqualTo(new Health.Verdict(false, "the broker does not answer"));
    assertThat(lost.live().ok()).isTrue();
    assertThat(lost.json("ready", lost.ready())).startsWith("{\"status\":\"not ready\",");
    Health idle =
        health(Health.Phase.SERVING, Duration.ZERO, new Health.Numbers(0, true, 0, 0, 0, 0, 0));
    assertThat(idle.ready()).isEqualTo(new Health.Verdict(false, "no partitions assigned"));
  }

  @Test
  void shouldNotBeReadyWhileALoopEndedByAnErrorFinishesItsPings() {
    Health.Phase draining = Health.Phase.of(Health.Phase.SERVING, true);
    assertThat(draining).isEqualTo(Health.Phase.STOPPING);
    assertThat(health(draining, Duration.ZERO, SERVING).ready())
        .isEqualTo(new Health.Verdict(false, "stopping"));
    assertThat(Health.Phase.of(Health.Phase.SERVING, false)).isEqualTo(Health.Phase.SERVING);
    // Once the loop has ended, that is what the server says.
    assertThat(Health.Phase.of(Health.Phase.ENDED, true)).isEqualTo(Health.Phase.ENDED);
    assertThat(Health.Phase.of(Health.Phase.STARTING, true)).isEqualTo(Health.Phase.STARTING);
  }
}

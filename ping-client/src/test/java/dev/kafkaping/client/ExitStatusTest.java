package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitStatusTest {

  @ParameterizedTest(name = "{0} of -c {1}, -w given: {2} -> exit {3}")
  @CsvSource({
    "3, 5, false, 0", // ping -c 5 with 3 replies: iputils exits 0
    "5, 5, false, 0",
    "1, 1, false, 0",
    "0, 5, false, 1", // no reply at all
    "0, 1, false, 1",
    "3, 5, true, 1", // -c 5 -w: the deadline passed with fewer than the count
    "5, 5, true, 0",
    "1, 0, true, 0", // -w alone: any reply will do
    "0, 0, true, 1",
  })
  void shouldExitAsIputilsPingWhenGivenTheRepliesCountAndDeadline(
      int received, int count, boolean deadlineGiven, int expected) {
    assertThat(ExitStatus.of(received, count, deadlineGiven)).isEqualTo(expected);
  }
}

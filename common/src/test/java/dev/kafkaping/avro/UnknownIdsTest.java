package dev.kafkaping.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnknownIdsTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 1); // the nanoTime wraps
  private final UnknownIds unknown = new UnknownIds(WINDOW, clock::get);

  @Test
  void shouldGiveTheReasonWithinTheWindowAndNothingAfterIt() {
    unknown.remember(7, "unknown schema id 7");

    clock.addAndGet(WINDOW.toNanos() - 1);
    assertThat(unknown.reason(7)).contains("unknown schema id 7");
    clock.incrementAndGet();
    assertThat(unknown.reason(7)).isEmpty();
  }

  @Test
  void shouldRememberNoMoreThanItsBoundAndMakeRoomOnceEntriesExpire() {
    for (int id = 0; id < UnknownIds.MAX_ENTRIES; id++) {
      unknown.remember(id, "unknown");
    }
    unknown.remember(-1, "unknown");
    assertThat(unknown.reason(-1)).isEmpty();

    clock.addAndGet(WINDOW.toNanos());
    unknown.remember(-1, "unknown");
    assertThat(unknown.reason(-1)).contains("unknown");
    assertThat(unknown.reason(0)).isEmpty();
  }
}

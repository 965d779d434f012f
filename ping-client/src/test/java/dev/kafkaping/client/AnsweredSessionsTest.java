package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class AnsweredSessionsTest {

  @Test
  void shouldForgetTheOldestSessionWhenFull() {
    AnsweredSessions sessions = new AnsweredSessions(2);
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID third = UUID.randomUUID();

    sessions.remember(first, new AnsweredSessions.Answered(1, 10, null));
    sessions.remember(second, new AnsweredSessions.Answered(2, 20, null));
    sessions.remember(third, new AnsweredSessions.Answered(3, 30, null));

    assertThat(sessions.find(first)).isEmpty();
    assertThat(sessions.find(second)).contains(new AnsweredSessions.Answered(2, 20, null));
    assertThat(sessions.find(third)).contains(new AnsweredSessions.Answered(3, 30, null));
  }

  @Test
  void shouldKeepAsManySessionsAsIputilsKeepsSequenceNumbersWhenNotToldOtherwise() {
    AnsweredSessions sessions = new AnsweredSessions();
    UUID oldest = UUID.randomUUID();
    sessions.remember(oldest, new AnsweredSessions.Answered(1, 0, null));
    for (int i = 2; i <= 1 << 16; i++) {
      sessions.remember(UUID.randomUUID(), new AnsweredSessions.Answered(i, 0, null));
    }
    assertThat(sessions.find(oldest)).isPresent();

    sessions.remember(UUID.randomUUID(), new AnsweredSessions.Answered(65_537, 0, null));

    assertThat(sessions.find(oldest)).isEmpty();
  }
}

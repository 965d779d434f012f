package dev.kafkaping.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLevelTest {

  @Test
  void shouldFindTheLevelWhenItsNameIsWrittenInAnyCase() {
    assertThat(LogLevel.parse("debug")).contains(LogLevel.DEBUG);
    assertThat(LogLevel.parse(" WARN ")).contains(LogLevel.WARN);
  }

  @Test
  void shouldFindNoLevelWhenTheNameIsUnknownOrMissing() {
    assertThat(LogLevel.parse("bogus")).isEmpty();
    assertThat(LogLevel.parse("")).isEmpty();
    assertThat(LogLevel.parse(null)).isEmpty();
  }

  @Test
  void shouldNameEveryLevelWhenTellingTheUserTheChoices() {
    for (LogLevel level : LogLevel.values()) {
      assertThat(LogLevel.NAMES).contains(level.name().toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void shouldReadTheLevelFromTheArgumentsWhenGivenInEitherForm() {
    assertThat(LogLevel.fromArgs(new String[] {"-c", "3", "--log-level", "trace"}))
        .isEqualTo(LogLevel.TRACE);
    assertThat(LogLevel.fromArgs(new String[] {"--log-level=error"})).isEqualTo(LogLevel.ERROR);
    assertThat(LogLevel.fromArgs(new String[] {"--log-level", "bogus"})).isNull();
  }

  @Test
  void shouldReadTheVariableAndDefaultToInfoWhenItIsUnsetOrBlank() {
    assertThat(LogLevel.fromEnvironment(Map.of("LOG_LEVEL", "Debug")::get))
        .isEqualTo(LogLevel.DEBUG);
    assertThat(LogLevel.fromEnvironment(Map.<String, String>of()::get)).isEqualTo(LogLevel.INFO);
    assertThat(LogLevel.fromEnvironment(Map.of("LOG_LEVEL", "")::get)).isEqualTo(LogLevel.INFO);
  }

  @Test
  void shouldRefuseTheVariableNamingItWhenItNamesNoLevel() {
    assertThatThrownBy(() -> LogLevel.fromEnvironment(Map.of("LOG_LEVEL", "verbose")::get))
        .isInstanceOf(UserError.class)
        .hasMessage("LOG_LEVEL needs one of trace, debug, info, warn or error, got 'verbose'");
  }
}

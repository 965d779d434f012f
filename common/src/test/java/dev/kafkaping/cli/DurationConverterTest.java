package dev.kafkaping.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void shouldReadSecondsWhenNoUnitIsGiven() {
    assertThat(converter.convert("15")).isEqualTo(Duration.ofSeconds(15));
    assertThat(converter.convert("0.2")).isEqualTo(Duration.ofMillis(200));
    assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void shouldReadUnitsWhenGiven() {
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(converter.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shouldRejectWhenTheTextIsNotADuration() {
    assertThatThrownBy(() -> converter.convert("soon"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'soon' is not a duration");
    assertThatThrownBy(() -> converter.convert("-1"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }
}

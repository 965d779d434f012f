package dev.kafkaping.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code 15}, {@code 1.5} (seconds), {@code 250ms}, {@code 5s} or {@code 2m}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.endsWith("ms")) {
        return millis(new BigDecimal(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return seconds(new BigDecimal(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("m")) {
        return seconds(
            new BigDecimal(value.substring(0, value.length() - 1))
                .multiply(BigDecimal.valueOf(60)));
      }
      return seconds(new BigDecimal(value));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is not a duration (examples: 15, 1.5, 250ms, 5s, 2m)");
    }
  }

  private static Duration seconds(BigDecimal seconds) {
    return millis(seconds.multiply(BigDecimal.valueOf(1000)));
  }

  private static Duration millis(BigDecimal millis) {
    if (millis.signum() < 0) {
      throw new CommandLine.TypeConversionException("a duration cannot be negative");
    }
    return Duration.ofNanos(millis.multiply(BigDecimal.valueOf(1_000_000)).longValueExact());
  }
}

package dev.kafkaping.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Collects what the fault tests measured, for README.org's two generated tables: the failure table
 * (pings, answered, lost, duplicated) and the failover times.
 */
final class FailureTable {
  static final Path FILE = target("failure-table.org");
  static final Path TIMES = target("failover-times.org");

  private static Path target(String file) {
    return Path.of(System.getProperty("kafkaping.root", ".."))
        .resolve("system-tests/target")
        .resolve(file)
        .toAbsolutePath()
        .normalize();
  }

  private FailureTable() {}

  static synchronized void row(
      String scenario, int pings, int answered, int lost, int duplicated, int mostPongs) {
    String row =
        String.format(
            Locale.ROOT,
            "| %s | %d | %d | %d | %d | %d |%n",
            scenario,
            pings,
            answered,
            lost,
            duplicated,
            mostPongs);
    append(FILE, row);
  }

  /** One row of README's failover times, printed too: what was timed, and how long it took. */
  static synchronized void time(String what, Duration took) {
    System.out.printf("FIGURES %s: %d ms%n", what, took.toMillis());
    append(TIMES, String.format(Locale.ROOT, "| %s | %d ms |%n", what, took.toMillis()));
  }

  private static void append(Path file, String row) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.kafkaping.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Collects the failure-table rows that the tests measured, for README.org. */
final class FailureTable {
  static final Path FILE =
      Path.of(System.getProperty("kafkaping.root", ".."))
          .resolve("system-tests/target/failure-table.org")
          .toAbsolutePath()
          .normalize();

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
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

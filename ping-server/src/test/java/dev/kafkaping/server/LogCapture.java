package dev.kafkaping.server;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captures the log lines written while it is open, each with the time it was written. slf4j-simple
 * (unless told to cache it) looks {@code System.err} up at every write, so swapping the stream is
 * enough; {@link #close} puts the original back. Lines still go to the original stream too.
 */
final class LogCapture implements AutoCloseable {
  /** One line as it was written, at {@code nanos} ({@link System#nanoTime()}). */
  record Line(long nanos, String text) {}

  private final PrintStream original = System.err;
  private final List<Line> lines = new ArrayList<>();
  private final StringBuilder current = new StringBuilder();

  private LogCapture() {}

  static LogCapture start() {
    LogCapture capture = new LogCapture();
    System.setErr(new PrintStream(capture.sink(), true, StandardCharsets.UTF_8));
    return capture;
  }

  /** The lines written so far that contain every one of {@code fragments}, oldest first. */
  synchronized List<Line> lines(String... fragments) {
    return lines.stream()
        .filter(line -> Arrays.stream(fragments).allMatch(line.text()::contains))
        .toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  private OutputStream sink() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        original.write(bytes, offset, length);
        received(new String(bytes, offset, length, StandardCharsets.UTF_8));
      }
    };
  }

  private synchronized void received(String text) {
    for (char c : text.toCharArray()) {
      if (c == '\n') {
        lines.add(new Line(System.nanoTime(), current.toString().stripTrailing()));
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
  }
}

package dev.kafkaping.devkafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A cluster node's standard error without the error Kafka's group coordinator logs when it gives up
 * loading an offsets partition because the partition moved on. When the whole cluster stops, one
 * node's controlled shutdown can hand a partition to another node that is stopping too; that node
 * starts loading it and is cut short. Nothing is lost: the load is only of committed state that
 * stays on disk, and whichever node leads the partition next loads it again.
 *
 * <p>Kafka logs it as two lines (the message and its exception, which carries no stack trace); both
 * are dropped, every other line passes unchanged.
 */
final class AbandonedLoadFilter extends OutputStream {
  private static final Pattern ABANDONED_LOAD =
      Pattern.compile(
          ".* ERROR org\\.apache\\.kafka\\.coordinator\\.common\\.runtime\\.CoordinatorRuntime - .*"
              + "Failed to load metadata from __consumer_offsets-\\d+ .*"
              + "because the partition is not online or is no longer the leader\\.*");
  private static final Pattern ITS_EXCEPTION =
      Pattern.compile(
          "org\\.apache\\.kafka\\.common\\.errors\\.NotLeaderOrFollowerException: Stopped loading"
              + " records from __consumer_offsets-\\d+ because .*");

  private final OutputStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean droppedTheLineBefore;

  AbandonedLoadFilter(OutputStream target) {
    this.target = target;
  }

  /** Makes {@code System.err} filtered; the logger writes to whatever it is at each line. */
  static void install() {
    System.setErr(new PrintStream(new AbandonedLoadFilter(System.err), true, System.err.charset()));
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      passOrDrop();
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void flush() {
    // A partial line waits for its end: it may still turn out to be one of the two.
    try {
      target.flush();
    } catch (IOException e) {
      // standard error is gone; nothing to tell anyone
    }
  }

  private void passOrDrop() {
    boolean drop =
        drops(line.toString(StandardCharsets.UTF_8).stripTrailing(), droppedTheLineBefore);
    droppedTheLineBefore = drop;
    if (!drop) {
      try {
        line.writeTo(target);
        target.flush();
      } catch (IOException e) {
        // standard error is gone; nothing to tell anyone
      }
    }
    line.reset();
  }

  /** Whether the filter drops this line, given whether it dropped the one before. */
  static boolean drops(String text, boolean droppedTheLineBefore) {
    return ABANDONED_LOAD.matcher(text).matches()
        || (droppedTheLineBefore && ITS_EXCEPTION.matcher(text).matches());
  }
}

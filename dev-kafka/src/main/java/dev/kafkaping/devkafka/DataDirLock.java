package dev.kafkaping.devkafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One broker's exclusive claim on its data directory, taken before the directory is formatted, read
 * or started and held until the broker has stopped. Kafka's own lock comes too late: KRaft opens
 * the metadata log before the log manager finds the directory locked, which breaks the broker that
 * was already running there.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE_NAME = "kafka-dev.lock";

  /**
   * Directories locked by this JVM. The operating system's lock belongs to the whole process, and
   * closing any channel to the file would release it, so a second claim from this JVM must be
   * refused without opening the file.
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel channel;

  private DataDirLock(Path dir, FileChannel channel) {
    this.dir = dir;
    this.channel = channel;
  }

  /** Locks the directory (creating it if needed) and writes this process's pid into the lock. */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path dir = dataDir.toRealPath();
    long pid = ProcessHandle.current().pid();
    if (!HELD_HERE.add(dir)) {
      throw inUse(dataDir, Long.toString(pid));
    }
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(dataDir, owner(file));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new DataDirLock(dir, channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      HELD_HERE.remove(dir);
      throw e;
    }
  }

  private static StartRefusedException inUse(Path dataDir, String pid) {
    return new StartRefusedException(dataDir + " is in use by another kafka-dev (pid " + pid + ")");
  }

  /** The pid the running broker wrote; it may not have written it yet. */
  private static String owner(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return pid.isEmpty() ? "unknown" : pid;
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Releases the directory; the file stays, and only a held lock on it counts. */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      HELD_HERE.remove(dir);
    }
  }
}

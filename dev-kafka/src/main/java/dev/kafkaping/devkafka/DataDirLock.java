package dev.kafkaping.devkafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
  private final Created created;

  /**
   * What acquiring the lock created, so that a refused start can take it away again.
   *
   * @param directories the directories made for it, deepest first
   * @param file whether the lock file is new
   */
  private record Created(List<Path> directories, boolean file) {}

  private DataDirLock(Path dir, FileChannel channel, Created created) {
    this.dir = dir;
    this.channel = channel;
    this.created = created;
  }

  /** Locks the directory (creating it if needed) and writes this process's pid into the lock. */
  static DataDirLock acquire(Path dataDir) throws IOException {
    List<Path> directories = missingDirectories(dataDir.toAbsolutePath());
    Files.createDirectories(dataDir);
    Path dir = dataDir.toRealPath();
    long pid = ProcessHandle.current().pid();
    if (!HELD_HERE.add(dir)) {
      throw inUse(dataDir, Long.toString(pid));
    }
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      boolean newFile = true;
      try {
        channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        newFile = false;
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(dataDir, owner(file));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      // A refused start deletes the lock file it created (see abandon): a start that opened that
      // file just before holds a lock on a deleted file, and finds out here. (Not by reading the
      // file: closing a second channel to it would release this process's lock.)
      if (!Files.exists(file)) {
        throw inUse(dataDir, "unknown");
      }
      return new DataDirLock(dir, channel, new Created(directories, newFile));
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      HELD_HERE.remove(dir);
      throw e;
    }
  }

  /** The directories {@code Files.createDirectories(path)} would make, deepest first. */
  private static List<Path> missingDirectories(Path path) {
    List<Path> missing = new ArrayList<>();
    for (Path p = path; p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    return missing;
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

  /**
   * Releases the directory after a start that did not happen, and removes the lock file and the
   * directories if acquiring created them and nothing else was put there since.
   */
  void abandon() throws IOException {
    try {
      if (created.file()) {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
      }
    } finally {
      close();
    }
    for (Path directory : created.directories()) {
      try {
        Files.deleteIfExists(directory);
      } catch (DirectoryNotEmptyException e) {
        return; // formatted before the start failed, or someone else's: kept
      }
    }
  }
}

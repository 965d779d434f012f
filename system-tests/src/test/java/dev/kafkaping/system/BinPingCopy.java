package dev.kafkaping.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * bin/ping, bin/find-java and ping.jar copied into a root of their own, laid out as in the project:
 * no AOT cache for this jar yet, whatever the build tree holds, and whatever the run records stays
 * out of the build tree.
 */
record BinPingCopy(Path root) {
  private static final Path PROJECT =
      Path.of(System.getProperty("kafkaping.root", "..")).toAbsolutePath().normalize();

  static BinPingCopy in(Path root) throws IOException {
    copy(PROJECT.resolve("bin/ping"), root.resolve("bin/ping"));
    copy(PROJECT.resolve("bin/find-java"), root.resolve("bin/find-java"));
    copy(Jars.PING, root.resolve("ping-client/target/ping.jar"));
    return new BinPingCopy(root);
  }

  Path script() {
    return root.resolve("bin/ping");
  }

  Path jar() {
    return target().resolve("ping.jar");
  }

  Path target() {
    return root.resolve("ping-client/target");
  }

  /** The AOT cache's files so far: configuration, log, lock, cache. */
  List<String> aotFiles() {
    try (Stream<Path> files = Files.list(target())) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(n -> n.contains(".aot"))
          .toList();
    } catch (IOException e) {
      throw new AssertionError("cannot list " + target(), e);
    }
  }

  /**
   * The cache is assembled in the background after the recording run; waits until it is there and
   * nothing else of the recording (configuration, log, lock) is left, which also lets it finish
   * with the test's files.
   */
  void awaitTheCacheAlone(Duration timeout) {
    Await.until(
        "the AOT cache alone in " + target(),
        timeout,
        () -> {
          List<String> files = aotFiles();
          return files.size() == 1 && files.get(0).endsWith(".aot");
        });
  }

  /**
   * Waits until no recording is in progress: nothing of it left but, on JDK 25+, the cache (an
   * older JDK records none), so that its background JVM is done with the test's files.
   */
  void awaitRecordingDone(Duration timeout) {
    Await.until(
        "no AOT recording left in " + target(),
        timeout,
        () -> aotFiles().stream().allMatch(name -> name.endsWith(".aot")));
  }

  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
  }
}

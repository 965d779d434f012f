package dev.kafkaping.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.extension.ExtensionContext;

/** For extensions that share one expensive resource (a cluster, a registry) per test class. */
final class PerTestClass {
  private PerTestClass() {}

  /**
   * The store of the test class, not of the method or the whole run: closed, with what it holds,
   * when the class's last test has run.
   */
  static ExtensionContext.Store store(ExtensionContext context, ExtensionContext.Namespace space) {
    ExtensionContext testClass = context;
    while (testClass.getTestMethod().isPresent()) {
      testClass = testClass.getParent().orElseThrow();
    }
    return testClass.getStore(space);
  }

  /** Deletes a resource's data directory with everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}

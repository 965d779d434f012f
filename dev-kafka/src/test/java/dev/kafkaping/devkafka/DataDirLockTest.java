package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  private static final long PID = ProcessHandle.current().pid();

  @Test
  void shouldWriteThePidIntoTheLockWhenTheDirectoryIsClaimed(@TempDir Path parent)
      throws Exception {
    Path dataDir = parent.resolve("new-dir");

    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      assertThat(dataDir.resolve(DataDirLock.FILE_NAME)).hasContent(PID + "\n");
      assertThat(dataDir).isDirectoryNotContaining(path -> path.endsWith("meta.properties"));
    }
  }

  @Test
  void shouldRefuseASecondClaimWhenTheDirectoryIsHeld(@TempDir Path dataDir) throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      assertThatThrownBy(() -> DataDirLock.acquire(dataDir.resolve(".").normalize()))
          .isInstanceOf(StartRefusedException.class)
          .hasMessage(dataDir + " is in use by another kafka-dev (pid " + PID + ")");
      // The refusal left the holder's lock alone.
      assertThat(dataDir.resolve(DataDirLock.FILE_NAME)).hasContent(PID + "\n");
    }
  }

  @Test
  void shouldClaimTheDirectoryAgainWhenTheHolderHasReleasedIt(@TempDir Path dataDir)
      throws Exception {
    DataDirLock.acquire(dataDir).close();
    Files.writeString(dataDir.resolve(DataDirLock.FILE_NAME), "999999999\n");

    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      assertThat(dataDir.resolve(DataDirLock.FILE_NAME)).hasContent(PID + "\n");
    }
  }
}

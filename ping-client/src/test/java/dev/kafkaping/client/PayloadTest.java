package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.cli.ExitCode;
import dev.kafkaping.cli.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadTest {
  @TempDir Path directory;

  @Test
  void shouldSendTheTextInUtf8WhenItNamesNoFile() {
    assertThat(Payload.of("grüß dich").bytes())
        .isEqualTo("grüß dich".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldSendTheFilesBytesAsTheyAreWhenTheArgumentStartsWithAnAt() throws Exception {
    byte[] binary = {0, 1, (byte) 0xff, '\n', 'x'};
    Path file = Files.write(directory.resolve("request.bin"), binary);

    assertThat(Payload.of("@" + file).bytes()).isEqualTo(binary);
  }

  @Test
  void shouldSayInOneLineThatTheFileIsMissingWhenItIs() {
    Path missing = directory.resolve("missing.json");

    assertThatThrownBy(() -> Payload.of("@" + missing))
        .isInstanceOfSatisfying(
            UserError.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.ERROR))
        .hasMessage("cannot read --payload @" + missing + ": no such file");
  }

  @Test
  void shouldRefuseADirectoryWhenItIsNamedAsTheFile() {
    assertThatThrownBy(() -> Payload.of("@" + directory))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("cannot read --payload @" + directory + ": ");
  }

  @Test
  void shouldAskForAFileNameWhenOnlyTheAtIsGiven() {
    assertThatThrownBy(() -> Payload.of("@"))
        .isInstanceOf(UserError.class)
        .hasMessage("--payload @ needs a file name after the '@'");
  }

  @Test
  void shouldBeEqualWhenTheBytesAre() {
    assertThat(Payload.of("a")).isEqualTo(Payload.of("a")).hasSameHashCodeAs(Payload.of("a"));
    assertThat(Payload.of("a")).isNotEqualTo(Payload.of("b"));
  }
}

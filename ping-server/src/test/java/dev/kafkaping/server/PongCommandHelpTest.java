package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static picocli.CommandLine.Model.UsageMessageSpec.DEFAULT_USAGE_WIDTH;

import dev.kafkaping.cli.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pong --help} at picocli's default width wraps between words only. */
class PongCommandHelpTest {

  private static String help(int width) {
    CommandLine commandLine = CommandRunner.commandLine(new PongCommand());
    commandLine.setUsageHelpWidth(width);
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    assertThat(commandLine.execute("--help")).isZero();
    return out.toString();
  }

  @Test
  void shouldKeepEveryWordWholeWhenHelpWrapsAtTheDefaultWidth() {
    // Picocli also breaks after ':' and '.' ("localhost:" / "9092", "e." / "g."): a word that is
    // whole when nothing wraps must be whole at the default width too.
    List<String> words = List.of(help(1000).split("\\s+"));
    String help = help(DEFAULT_USAGE_WIDTH);

    assertThat(help.split("\\s+")).filteredOn(word -> !words.contains(word)).isEmpty();
    assertThat(help).contains("localhost:9092").doesNotContainPattern("e\\.\\s+g\\.");
    assertThat(help.lines()).filteredOn(line -> line.length() > DEFAULT_USAGE_WIDTH).isEmpty();
  }

  @Test
  void shouldLeaveNoWordAloneOnALineWhenHelpWrapsAtTheDefaultWidth() {
    // Option names ('-') and the synopsis' continuation lines ('[') may stand alone.
    assertThat(help(DEFAULT_USAGE_WIDTH).lines())
        .filteredOn(line -> !line.strip().startsWith("-") && !line.strip().startsWith("["))
        .filteredOn(line -> line.strip().split("\\s+").length == 1 && !line.isBlank())
        .isEmpty();
  }
}

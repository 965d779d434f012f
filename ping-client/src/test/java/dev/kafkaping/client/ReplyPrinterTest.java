package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplyPrinterTest {
  private static final UUID SESSION = UUID.fromString("12672f0f-007d-4e7c-b284-026c0c19c634");
  private static final String TRACE = "7e79260d5bc56a6c70fe60c14aeb25dc";
  private static final DuplicatePong DUPLICATE =
      new DuplicatePong(7, SESSION, 2, 9, 60, 4.5, TRACE);

  private final StringWriter out = new StringWriter();

  private ReplyPrinter printer(boolean json, boolean quiet, boolean verbose) {
    return new ReplyPrinter(new PrintWriter(out), AnswerKind.PONG, json, quiet, verbose);
  }

  private ReplyPrinter replyPrinter(boolean json, boolean verbose) {
    return new ReplyPrinter(new PrintWriter(out), AnswerKind.REPLY, json, false, verbose);
  }

  @Test
  void shouldPrintAReplyLikeAPongButNamedByItsCorrelationIdWhenAReplyConventionIsUsed() {
    RoundTrip.Answered reply = new RoundTrip.Answered(1, SESSION, 1, 2, 12, 3.214, TRACE);

    replyPrinter(false, false).reply(reply);
    replyPrinter(false, true).reply(reply);
    replyPrinter(false, false).duplicate(DUPLICATE);
    replyPrinter(false, false)
        .reply(new RoundTrip.Lost(2, SESSION, "no reply within 15000 ms", TRACE));

    assertThat(out.toString().lines())
        .containsExactly(
            "reply correlation_id=" + SESSION + " partition=1 time=3.21 ms",
            "reply correlation_id="
                + SESSION
                + " partition=1 time=3.21 ms seq=1 offset=2 bytes=12 trace_id="
                + TRACE,
            "reply correlation_id=" + SESSION + " partition=2 time=4.50 ms (DUP!)",
            "no reply correlation_id=" + SESSION + " (no reply within 15000 ms)");
  }

  @Test
  void shouldPrintAReplyAsItsOwnTypeWithItsSizeWhenJson() {
    replyPrinter(true, false).reply(new RoundTrip.Answered(1, SESSION, 1, 2, 12, 3.214, TRACE));
    replyPrinter(true, false).duplicate(DUPLICATE);
    replyPrinter(true, false)
        .reply(new RoundTrip.Lost(2, SESSION, "no reply within 15000 ms", null));

    assertThat(out.toString().lines())
        .containsExactly(
            "{\"type\":\"reply\",\"seq\":1,\"correlation_id\":\""
                + SESSION
                + "\",\"partition\":1,\"offset\":2,\"time_ms\":3.214,\"bytes\":12,\"trace_id\":\""
                + TRACE
                + "\"}",
            "{\"type\":\"duplicate\",\"seq\":7,\"correlation_id\":\""
                + SESSION
                + "\",\"partition\":2,\"offset\":9,\"time_ms\":4.5,\"bytes\":60,\"trace_id\":\""
                + TRACE
                + "\"}",
            "{\"type\":\"timeout\",\"seq\":2,\"correlation_id\":\""
                + SESSION
                + "\",\"reason\":\"no reply within 15000 ms\",\"trace_id\":null}");
  }

  @Test
  void shouldMarkADuplicateAtTheEndOfItsLineAsPingDoes() {
    printer(false, false, false).duplicate(DUPLICATE);
    printer(false, false, true).duplicate(DUPLICATE);

    assertThat(out.toString().lines())
        .containsExactly(
            "pong session_id=" + SESSION + " partition=2 time=4.50 ms (DUP!)",
            "pong session_id="
                + SESSION
                + " partition=2 time=4.50 ms seq=7 offset=9 trace_id="
                + TRACE
                + " (DUP!)");
  }

  @Test
  void shouldPrintADuplicateAsItsOwnTypeWhenJson() {
    printer(true, false, false).duplicate(DUPLICATE);

    assertThat(out.toString().strip())
        .isEqualTo(
            "{\"type\":\"duplicate\",\"seq\":7,\"session_id\":\""
                + SESSION
                + "\",\"partition\":2,\"offset\":9,\"time_ms\":4.5,\"trace_id\":\""
                + TRACE
                + "\"}");
  }

  @Test
  void shouldPrintNoDuplicateWhenQuiet() {
    printer(false, true, false).duplicate(DUPLICATE);

    assertThat(out.toString()).isEmpty();
  }

  @Test
  void shouldAddTheDuplicatesWhereIputilsDoesWhenThereAreAny() {
    printer(false, false, false).summary(summary(5, 5, 2), List.of());
    printer(false, false, false).summary(summary(5, 4, 0), List.of());

    assertThat(out.toString().lines())
        .filteredOn(line -> line.contains("transmitted"))
        .containsExactly(
            "5 pings transmitted, 5 received, +2 duplicates, 0% loss, time 4005 ms",
            "5 pings transmitted, 4 received, 20% loss, time 4005 ms");
  }

  @Test
  void shouldAlwaysGiveTheDuplicatesInTheJsonSummary() {
    printer(true, false, false).summary(summary(2, 0, 0), List.of());

    assertThat(out.toString())
        .startsWith(
            "{\"type\":\"summary\",\"transmitted\":2,\"received\":0,\"duplicates\":0,"
                + "\"loss_percent\":100.0,");
  }

  @Test
  void shouldPrintNothingAfterTheSummaryWhenRepliesComeLate() {
    ReplyPrinter printer = printer(false, false, false);
    printer.summary(summary(1, 0, 0), List.of());
    String summary = out.toString();

    printer.reply(new RoundTrip.Lost(1, SESSION, "interrupted", null));
    printer.reply(new RoundTrip.Answered(1, SESSION, 0, 1, 60, 2.0, null));
    printer.duplicate(DUPLICATE);

    assertThat(out.toString()).isEqualTo(summary);
  }

  private static Statistics.Summary summary(int transmitted, int received, int duplicates) {
    Statistics statistics = new Statistics();
    for (int i = 0; i < transmitted; i++) {
      statistics.transmitted();
    }
    for (int i = 0; i < received; i++) {
      statistics.received(1.0);
    }
    for (int i = 0; i < duplicates; i++) {
      statistics.duplicate();
    }
    return statistics.summary(4005);
  }
}

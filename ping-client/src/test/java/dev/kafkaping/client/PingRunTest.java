package dev.kafkaping.client;

import static dev.kafkaping.client.PingConfigs.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.cli.ExitCode;
import dev.kafkaping.cli.UserError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PingRunTest {
  private static final Duration W15 = Duration.ofSeconds(15);
  private static final long SECOND = 1_000_000_000L;

  private final StringWriter out = new StringWriter();
  private final ReplyPrinter printer =
      new ReplyPrinter(new PrintWriter(out), AnswerKind.PONG, false, false, false);
  private final FakePinger pinger = new FakePinger();

  @AfterEach
  void releaseBlockedSends() {
    pinger.release.countDown();
  }

  @Test
  void shouldSummariseAtTheDeadlineWhenASendBlocksPastIt() throws Exception {
    pinger.answer = sequence -> sequence == 1 ? answered(sequence) : pinger.blockUntilReleased();
    Deadline deadline = Deadline.startingNow(Optional.of(Duration.ofMillis(500)));

    int exit = pingRun(run(5, Duration.ZERO, W15, deadline)).run();
    Duration late = Duration.ofNanos(-deadline.nanosLeft());

    assertThat(exit).as("fewer than -c by the deadline").isEqualTo(ExitCode.NO_REPLY);
    assertThat(late)
        .as("run() returned after the deadline by")
        .isBetween(PingRun.LATE_REPORTS, PingRun.LATE_REPORTS.plusSeconds(1));
    assertThat(lines()).noneMatch(line -> line.startsWith("no pong"));
    assertThat(lines()).anyMatch(line -> line.startsWith("2 pings transmitted, 1 received, 50%"));
  }

  @Test
  void shouldGiveThePingOnlyWhatIsLeftWhenSetUpTookMostOfTheDeadline() throws Exception {
    pinger.answer = sequence -> new RoundTrip.Lost(sequence, UUID.randomUUID(), "lost", null);
    Deadline leaves300ms =
        new Deadline(Optional.of(Duration.ofMillis(10_300)), System.nanoTime() - 10 * SECOND);

    int exit = pingRun(run(0, Duration.ofSeconds(1), W15, leaves300ms)).run();

    assertThat(exit).isEqualTo(ExitCode.NO_REPLY);
    assertThat(pinger.waits).singleElement().satisfies(wait -> assertThat(wait).isPositive());
    assertThat(pinger.waits.get(0)).isLessThanOrEqualTo(Duration.ofMillis(300));
    assertThat(leaves300ms.nanosLeft()).as("returned after the deadline").isGreaterThan(-SECOND);
  }

  @Test
  void shouldSendNothingWhenTheDeadlinePassedBeforeTheRun() throws Exception {
    Deadline passed = new Deadline(Optional.of(Duration.ofSeconds(1)), System.nanoTime() - SECOND);

    int exit = pingRun(run(5, Duration.ZERO, W15, passed)).run();

    assertThat(exit).isEqualTo(ExitCode.NO_REPLY);
    assertThat(pinger.waits).isEmpty();
    assertThat(lines()).anyMatch(line -> line.startsWith("0 pings transmitted, 0 received"));
  }

  @Test
  void shouldPrintAndCountADuplicateApartFromTheReceivedWhenAPongComesTwice() throws Exception {
    UUID first = UUID.randomUUID();
    pinger.answer =
        sequence -> {
          if (sequence == 2) {
            pinger.duplicates.accept(new DuplicatePong(1, first, 0, 7, 60, 12.5, null));
          }
          return new RoundTrip.Answered(
              sequence, sequence == 1 ? first : UUID.randomUUID(), 0, sequence, 60, 2.0, null);
        };
    Deadline none = Deadline.startingNow(Optional.empty());

    int exit = pingRun(run(2, Duration.ZERO, W15, none)).run();

    assertThat(exit).isEqualTo(ExitCode.OK);
    assertThat(lines())
        .startsWith(
            "pong session_id=" + first + " partition=0 time=2.00 ms",
            "pong session_id=" + first + " partition=0 time=12.50 ms (DUP!)")
        .anyMatch(
            line -> line.startsWith("2 pings transmitted, 2 received, +1 duplicates, 0% loss"));
  }

  @Test
  void shouldPrintADuplicateAfterItsOriginalWhenItIsReadBeforeTheOriginalIsReported()
      throws Exception {
    UUID session = UUID.randomUUID();
    pinger.answer =
        sequence -> {
          // Both copies in one poll: the listener reports the second before the sender the first.
          pinger.duplicates.accept(new DuplicatePong(sequence, session, 1, 8, 60, 3.5, null));
          return new RoundTrip.Answered(sequence, session, 0, 7, 60, 3.0, null);
        };
    Deadline none = Deadline.startingNow(Optional.empty());

    pingRun(run(1, Duration.ZERO, W15, none)).run();

    assertThat(lines())
        .containsExactly(
            "pong session_id=" + session + " partition=0 time=3.00 ms",
            "pong session_id=" + session + " partition=1 time=3.50 ms (DUP!)");
  }

  @Test
  void shouldEndWithTheErrorWhenAPingMeetsAFatalOneBeforeTheDeadline() {
    UserError noServer = new UserError("no pong server is running", ExitCode.NO_REPLY);
    pinger.answer = sequence -> new PingResult.Fatal(noServer, "READ");
    Deadline deadline = Deadline.startingNow(Optional.of(Duration.ofSeconds(10)));
    PingRun pingRun = pingRun(run(5, Duration.ZERO, W15, deadline));

    assertThatThrownBy(pingRun::run).isSameAs(noServer);
    assertThat(out.toString()).isEmpty();
  }

  private PingRun pingRun(PingConfig config) {
    return new PingRun(config, pinger, printer, PingMetrics.none(), Optional.empty());
  }

  private List<String> lines() {
    return out.toString().lines().toList();
  }

  private static PingResult answered(int sequence) {
    return new RoundTrip.Answered(sequence, UUID.randomUUID(), 0, sequence, 60, 1.0, null);
  }

  /**
   * Answers each ping as the test says. A ping that blocks ignores {@link #stopAll}, as a send
   * blocked in the producer does.
   */
  private static final class FakePinger implements RoundTripper {
    final CountDownLatch release = new CountDownLatch(1);
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    volatile IntFunction<PingResult> answer;
    volatile Consumer<DuplicatePong> duplicates;

    @Override
    public PingResult ping(int sequence, Duration wait) {
      waits.add(wait);
      return answer.apply(sequence);
    }

    @Override
    public void stopAll() {}

    @Override
    public void onDuplicate(Consumer<DuplicatePong> sink) {
      duplicates = sink;
    }

    PingResult blockUntilReleased() {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new RoundTrip.Lost(0, UUID.randomUUID(), "released", null);
    }
  }
}

package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry backoff of a failing pong and the throttled line that reports the failures. */
@Timeout(60)
class PingHandlerTest {
  private final ServerStats stats = new ServerStats();

  private static ConsumerRecord<byte[], byte[]> ping(long offset) {
    return new ConsumerRecord<>("ping", 0, offset, new byte[0], new byte[0]);
  }

  @Test
  void shouldRetryAfter100MsDoublingToAtMost2sWhenAttemptsKeepFailing() {
    int failures = 6; // gaps 100, 200, 400, 800, 1600 and, capped, 2000 ms
    List<Long> attemptNanos = new ArrayList<>();
    PingHandler handler =
        new PingHandler(
            record -> {
              attemptNanos.add(System.nanoTime());
              return attemptNanos.size() <= failures
                  ? new Attempt.Failed("broker busy")
                  : new Attempt.Done(new Handled.Answered());
            },
            stats);

    Handled handled = handler.handle(ping(0), () -> true);

    assertThat(handled).isEqualTo(new Handled.Answered());
    assertThat(attemptNanos).hasSize(failures + 1);
    long[] expectedMillis = {100, 200, 400, 800, 1600, 2000};
    for (int i = 0; i < expectedMillis.length; i++) {
      Duration gap = Duration.ofNanos(attemptNanos.get(i + 1) - attemptNanos.get(i));
      Duration expected = Duration.ofMillis(expectedMillis[i]);
      // Never sooner than the backoff, and less than 400 ms later even on a loaded machine: a first
      // backoff of 200 ms would be 400 ms late by the third gap, a missing cap 1200 ms at the last.
      assertThat(gap)
          .as("gap before attempt %d", i + 2)
          .isGreaterThanOrEqualTo(expected)
          .isLessThan(expected.plusMillis(400));
    }
    assertThat(PingHandler.FIRST_BACKOFF).isEqualTo(Duration.ofMillis(100));
    assertThat(PingHandler.MAX_BACKOFF).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldLogAtMostOneFailureLineASecondWithTheCountOfTheOthersWhenManyPingsFail()
      throws Exception {
    // Pings 1..19 fail once; ping 0 fails five times, its fifth try about 1.5 s after its first:
    // 24 failed attempts in all, 23 of them within the first second.
    int pings = 20;
    int failuresOfPingZero = 5;
    PingHandler handler =
        new PingHandler(
            failingFirst(record -> record.offset() == 0 ? failuresOfPingZero : 1), stats);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Handled>> results = new ArrayList<>();

    try (LogCapture log = LogCapture.start();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int offset = 0; offset < pings; offset++) {
        ConsumerRecord<byte[], byte[]> record = ping(offset);
        results.add(
            threads.submit(
                () -> {
                  go.await();
                  return handler.handle(record, () -> true);
                }));
      }
      go.countDown();
      for (Future<Handled> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(new Handled.Answered());
      }

      List<LogCapture.Line> lines = log.lines("WARN", "PingHandler", "failed: broker busy");
      // 24 failures in about 1.5 s: two lines, a third only if this machine is very slow.
      assertThat(lines).hasSizeBetween(2, 3);
      for (int i = 1; i < lines.size(); i++) {
        assertThat(Duration.ofNanos(lines.get(i).nanos() - lines.get(i - 1).nanos()))
            .as("between line %d and line %d", i, i + 1)
            .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      }
      assertThat(lines.get(0).text())
          .contains("(and 0 other failed attempt(s) since the last such line)");
      // The first tries of the 19 other pings fall in the first second, and ping 0's second to
      // fourth usually do: between 19 and 22 others.
      assertThat(othersIn(lines.get(1).text())).isBetween(19, 22);
    }
    assertThat(stats.summary()).contains("failed attempts=" + (pings - 1 + failuresOfPingZero));
  }

  /** A try that fails the first {@code failures} times for each record, then answers it. */
  private static Function<ConsumerRecord<byte[], byte[]>, Attempt> failingFirst(
      ToIntFunction<ConsumerRecord<byte[], byte[]>> failures) {
    Map<Long, AtomicInteger> tries = new ConcurrentHashMap<>();
    return record -> {
      int attempt =
          tries.computeIfAbsent(record.offset(), o -> new AtomicInteger()).incrementAndGet();
      return attempt <= failures.applyAsInt(record)
          ? new Attempt.Failed("broker busy")
          : new Attempt.Done(new Handled.Answered());
    };
  }

  private static int othersIn(String line) {
    Matcher matcher = Pattern.compile("\\(and (\\d+) other failed attempt\\(s\\)").matcher(line);
    assertThat(matcher.find()).as("a count of the others in: %s", line).isTrue();
    return Integer.parseInt(matcher.group(1));
  }
}

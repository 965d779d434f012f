package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkaping.cli.UserError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The commit protocol under rebalance, commit failure and stop, driven through MockConsumer. */
@Timeout(60)
class PollLoopTest {
  private static final TopicPartition P0 = new TopicPartition("ping", 0);
  private static final TopicPartition P1 = new TopicPartition("ping", 1);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final TestConsumer consumer = new TestConsumer();
  private final ServerStats stats = new ServerStats();
  private PollLoop loop;
  private CompletableFuture<Void> stopped;

  private void start(RecordHandler handler, int maxInFlight, List<TopicPartition> assigned) {
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    loop =
        new PollLoop(
            consumer,
            handler,
            new PollLoop.Settings(
                "ping", "pong-server", maxInFlight, Duration.ofSeconds(2), "test:9092"),
            stats);
    consumer.schedulePollTask(() -> consumer.rebalance(assigned));
    stopped = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("poll-loop")
        .start(
            () -> {
              try {
                loop.run();
                stopped.complete(null);
              } catch (Throwable e) {
                stopped.completeExceptionally(e);
              }
            });
  }

  /** Adds pings at the start of the loop's next poll, on its own thread, as the broker would. */
  private void send(TopicPartition partition, int from, int count) {
    consumer.schedulePollTask(
        () -> {
          for (int offset = from; offset < from + count; offset++) {
            consumer.addRecord(
                new ConsumerRecord<>(
                    partition.topic(), partition.partition(), offset, new byte[0], new byte[0]));
          }
        });
  }

  private void stop() throws Exception {
    loop.requestStop();
    stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @AfterEach
  void stopLoop() {
    if (loop != null) {
      loop.requestStop();
    }
  }

  private static Handled answered() {
    return new Handled.Answered();
  }

  @Test
  void shouldCommitTheKeptPartitionsWhenAnotherPartitionIsRevoked() throws Exception {
    CountDownLatch releaseP1 = new CountDownLatch(1);
    start(
        (record, stillOurs) -> {
          if (record.partition() == 1) {
            awaitLatch(releaseP1);
          }
          return answered();
        },
        10,
        List.of(P0, P1));
    consumer.failNextCommits.set(1_000_000); // P0's answer stays unconfirmed until the revoke
    send(P0, 0, 1);
    send(P1, 0, 1);
    await().atMost(WAIT).until(() -> consumer.commitRequests.get() > 0);

    CompletableFuture<Long> p1AtRevoke = new CompletableFuture<>();
    consumer.schedulePollTask(
        () -> {
          consumer.failNextCommits.set(0);
          releaseP1.countDown();
          consumer.rebalance(List.of(P0));
          p1AtRevoke.complete(consumer.committedOffset(P1));
        });

    assertThat(p1AtRevoke.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 1);
    assertThat(stopped).isNotDone();
  }

  @Test
  void shouldCommitAgainWhenAnAsyncCommitFailedAndThePartitionWentIdle() {
    start((record, stillOurs) -> answered(), 10, List.of(P0));
    consumer.failNextCommits.set(1);
    send(P0, 0, 1);

    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 1);
    assertThat(consumer.commitRequests.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldMakeTheFinalCommitWhenStopIsRequestedOutsidePoll() throws Exception {
    CountDownLatch releaseSecond = new CountDownLatch(1);
    start(
        (record, stillOurs) -> {
          if (record.offset() == 1) {
            awaitLatch(releaseSecond);
          }
          return answered();
        },
        10,
        List.of(P0));
    consumer.afterCommit(
        () -> {
          // Runs on the poll thread, outside poll(): a stop that woke the consumer here would leave
          // a wakeup pending, and TestConsumer's commitSync then throws as KafkaConsumer's does.
          loop.requestStop();
          releaseSecond.countDown();
        });
    send(P0, 0, 2);

    stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(consumer.committedOffset(P0)).isEqualTo(2);
  }

  @Test
  void shouldMakeTheFinalCommitWhenTheStopLandsWhileThisMemberIsJoiningARebalance()
      throws Exception {
    start((record, stillOurs) -> answered(), 10, List.of(P0));
    consumer.failNextCommits.set(1_000_000); // nothing confirmed before the stop
    send(P0, 0, 3);
    await().atMost(WAIT).until(() -> consumer.commitRequests.get() > 0);

    consumer.schedulePollTask(
        () -> {
          consumer.failNextCommits.set(0);
          consumer.joiningUntilNextPoll.set(true);
          loop.requestStop();
        });

    stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(consumer.committedOffset(P0)).isEqualTo(3);
  }

  @Test
  void shouldBackOffAndKeepServingWhenPollsKeepFailing() throws Exception {
    start((record, stillOurs) -> answered(), 10, List.of(P0));
    await().atMost(WAIT).until(() -> consumer.assignment().contains(P0));

    consumer.pollsFail.set(true);
    int before = consumer.polls.get();
    long failing = System.nanoTime();
    await().atMost(WAIT).until(() -> consumer.polls.get() - before >= 4);
    Duration fourFailedPolls = Duration.ofNanos(System.nanoTime() - failing);
    consumer.pollsFail.set(false);
    send(P0, 0, 1);

    // 100, 200 and 400 ms of backoff between them; without it, four polls take microseconds.
    assertThat(fourFailedPolls).isGreaterThanOrEqualTo(Duration.ofMillis(650));
    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 1);
    stop();
  }

  /** A handler whose pings run until released, counting how many started and ran at once. */
  private static final class GatedHandler implements RecordHandler {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostRunning = new AtomicInteger();
    final Semaphore finish = new Semaphore(0);

    @Override
    public Handled handle(ConsumerRecord<byte[], byte[]> record, BooleanSupplier stillOurs) {
      started.incrementAndGet();
      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      finish.acquireUninterruptibly();
      running.decrementAndGet();
      return answered();
    }
  }

  @Test
  void shouldNeverRunMoreThanMaxInFlightWhenPartitionsAreAddedMidBatch() throws Exception {
    int maxInFlight = 3;
    GatedHandler handler = new GatedHandler();
    start(handler, maxInFlight, List.of(P0));
    send(P0, 0, 10);
    await().atMost(WAIT).until(() -> handler.running.get() == maxInFlight);

    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
    send(P1, 0, 10);
    handler.finish.release(20);

    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 10);
    await().atMost(WAIT).until(() -> consumer.committedOffset(P1) == 10);
    assertThat(handler.mostRunning.get()).isEqualTo(maxInFlight);
    stop();
  }

  @Test
  void shouldRefillSlotsWhenFewerPingsFinishThanTheRefillBatch() throws Exception {
    // 64 slots refill in batches of 4: three finished pings still free their slots.
    int maxInFlight = 64;
    GatedHandler handler = new GatedHandler();
    start(handler, maxInFlight, List.of(P0));
    send(P0, 0, 100);
    await().atMost(WAIT).until(() -> handler.running.get() == maxInFlight);

    handler.finish.release(3);

    await().atMost(WAIT).until(() -> handler.started.get() == maxInFlight + 3);
    handler.finish.release(100);
    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 100);
    assertThat(handler.started.get()).isEqualTo(100);
    assertThat(handler.mostRunning.get()).isEqualTo(maxInFlight);
    stop();
  }

  @Test
  void shouldRetryAPingWhoseAttemptThrew() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    PingHandler handler =
        new PingHandler(
            record -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("bug while building the span");
              }
              return new Attempt.Done(answered());
            },
            stats);
    start(handler, 10, List.of(P0));
    send(P0, 0, 1);

    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 1);
    assertThat(attempts.get()).isEqualTo(2);
    stop();
  }

  @Test
  void shouldFreeTheSlotAndTryAgainWhenTheHandlerItselfThrows() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    start(
        (record, stillOurs) -> {
          if (record.offset() == 0 && tries.incrementAndGet() == 1) {
            throw new IllegalStateException("bug");
          }
          return answered();
        },
        1,
        List.of(P0));
    send(P0, 0, 2);

    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 2);
    assertThat(tries.get()).isEqualTo(2);
    stop();
  }

  @Test
  void shouldCommitARevokedPartitionWhenTheStopLandsDuringTheRevokingPoll() throws Exception {
    CountDownLatch answeredP1 = new CountDownLatch(1);
    start(
        (record, stillOurs) -> {
          answeredP1.countDown();
          return answered();
        },
        10,
        List.of(P0, P1));
    consumer.failNextCommits.set(1_000_000); // keep P1's answer unconfirmed until the revoke
    send(P1, 0, 1);
    awaitLatch(answeredP1);
    await().atMost(WAIT).until(() -> consumer.commitRequests.get() > 0);

    consumer.schedulePollTask(
        () -> {
          consumer.failNextCommits.set(0);
          loop.requestStop(); // SIGTERM while this poll revokes P1
          consumer.rebalance(List.of(P0));
        });

    stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(consumer.committedOffset(P1)).isEqualTo(1);
  }

  @Test
  void shouldLetRunningPingsOfARevokedPartitionFinishAndCommitThemBeforeHandingItOver() {
    CountDownLatch started = new CountDownLatch(1);
    start(
        (record, stillOurs) -> {
          started.countDown();
          // The pong is acknowledged only after the revocation has begun: the revoke must wait.
          await().atMost(WAIT).until(() -> !stillOurs.getAsBoolean());
          return answered();
        },
        10,
        List.of(P0, P1));
    send(P1, 0, 1);
    awaitLatch(started);

    CompletableFuture<Long> p1AtRevoke = new CompletableFuture<>();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(P0));
          p1AtRevoke.complete(consumer.committedOffset(P1));
        });

    assertThat(p1AtRevoke).succeedsWithin(WAIT).isEqualTo(1L);
  }

  @Test
  void shouldLetRunningPingsOfARevokedPartitionFinishWhenTheServerIsStopping() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch revoking = new CountDownLatch(1);
    start(
        (record, stillOurs) -> {
          started.countDown();
          awaitLatch(revoking); // still running when the revocation begins
          return answered();
        },
        10,
        List.of(P0, P1));
    send(P1, 0, 1);
    awaitLatch(started);
    loop.requestStop(); // SIGTERM, and meanwhile a new member takes P1

    CompletableFuture<Long> p1AtRevoke = new CompletableFuture<>();
    consumer.schedulePollTask(
        () -> {
          revoking.countDown();
          consumer.rebalance(List.of(P0));
          p1AtRevoke.complete(consumer.committedOffset(P1));
        });

    assertThat(p1AtRevoke).succeedsWithin(WAIT).isEqualTo(1L);
  }

  @Test
  void shouldEndWithOneLineWhenNoOffsetCanBeFoundAndThereIsNoResetPolicy() {
    start((record, stillOurs) -> answered(), 10, List.of(P0));
    consumer.schedulePollTask(
        () -> consumer.setPollException(new NoOffsetForPartitionException(P0)));

    assertThat(stopped)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(UserError.class)
        .withMessageContaining("no committed offset for ping-0 in group 'pong-server'")
        .withMessageContaining("auto.offset.reset");
  }

  @Test
  void shouldEndWithOneLineWhenTheCommittedOffsetIsOutOfRangeAndThereIsNoResetPolicy() {
    start((record, stillOurs) -> answered(), 10, List.of(P0));
    consumer.schedulePollTask(
        () -> consumer.setPollException(new OffsetOutOfRangeException("gone", Map.of(P0, 7L))));

    assertThat(stopped)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(UserError.class)
        .withMessageContaining("ping-0")
        .withMessageContaining("retention");
  }

  @Test
  void shouldStopRetryingAndLeaveThePingUncommittedWhenItsPartitionIsRevoked() {
    AtomicInteger attempts = new AtomicInteger();
    PingHandler handler =
        new PingHandler(
            record -> {
              attempts.incrementAndGet();
              return new Attempt.Failed("broker busy");
            },
            stats);
    start(handler, 10, List.of(P0, P1));
    send(P1, 0, 1);
    await().atMost(WAIT).until(() -> attempts.get() >= 2);

    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));

    await().atMost(WAIT).until(() -> !consumer.assignment().contains(P1));
    int attemptsAfterRevoke = attempts.get();
    await()
        .during(PingHandler.MAX_BACKOFF.plusMillis(500))
        .atMost(WAIT)
        .until(() -> attempts.get() <= attemptsAfterRevoke + 1);
    assertThat(consumer.committedOffset(P1)).isLessThanOrEqualTo(0); // nothing past offset 0
  }

  @Test
  void shouldLogOneLineWhenCommitsStartFailingAndOneWhenTheyWorkAgain() {
    try (LogCapture log = LogCapture.start()) {
      consumer.failNextCommits.set(5);
      start((record, stillOurs) -> answered(), 10, List.of(P0));
      send(P0, 0, 1);

      await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 1);

      assertThat(consumer.commitRequests.get()).as("five failed commits, then one").isEqualTo(6);
      assertThat(log.lines("OffsetCommitter", "WARN"))
          .singleElement()
          .extracting(LogCapture.Line::text)
          .asString()
          .contains("cannot commit to the group coordinator via test:9092");
      List<LogCapture.Line> again = log.lines("OffsetCommitter", "INFO");
      assertThat(again).hasSize(1);
      Matcher line =
          Pattern.compile("commits work again after 5 failed attempt\\(s\\) in (\\d+) ms")
              .matcher(again.get(0).text());
      assertThat(line.find()).as(again.get(0).text()).isTrue();
      // The five failed tries are OffsetCommitter.INTERVAL (200 ms) apart, the sixth as long after.
      assertThat(Long.parseLong(line.group(1))).isGreaterThanOrEqualTo(800);
    }
  }

  @Test
  void shouldHandOverAfterTheGraceWithoutCommittingTheKeptPartitionWhenARevokedPingNeverEnds()
      throws Exception {
    CountDownLatch endOfTest = new CountDownLatch(1);
    CountDownLatch p1Started = new CountDownLatch(1);
    start(
        (record, stillOurs) -> {
          if (record.partition() == 1) {
            p1Started.countDown();
            awaitLatch(endOfTest); // a pong whose acknowledgement never comes
          }
          return answered();
        },
        10,
        List.of(P0, P1));
    try {
      consumer.failNextCommits.set(1_000_000); // P0's answered offset stays uncommitted
      send(P0, 0, 1);
      send(P1, 0, 1);
      awaitLatch(p1Started);
      await().atMost(WAIT).until(() -> consumer.requested.getOrDefault(P0, -1L) == 1);

      CompletableFuture<Duration> revokeTook = new CompletableFuture<>();
      CompletableFuture<Long> p0AfterRevoke = new CompletableFuture<>();
      consumer.schedulePollTask(
          () -> {
            consumer.failNextCommits.set(0); // a commit of P0 would go through from here on
            long revoking = System.nanoTime();
            consumer.rebalance(List.of(P0));
            revokeTook.complete(Duration.ofNanos(System.nanoTime() - revoking));
            p0AfterRevoke.complete(consumer.committedOffset(P0));
          });

      assertThat(revokeTook)
          .succeedsWithin(WAIT)
          .satisfies(
              took ->
                  assertThat(took)
                      .isGreaterThanOrEqualTo(RebalanceHandler.REVOKE_GRACE)
                      .isLessThan(RebalanceHandler.REVOKE_GRACE.plusMillis(1500)));
      assertThat(RebalanceHandler.REVOKE_GRACE).isEqualTo(Duration.ofSeconds(3));
      assertThat(p0AfterRevoke)
          .succeedsWithin(WAIT)
          .as("P0 committed by the revoke")
          .isEqualTo(-1L);
      assertThat(consumer.committedOffset(P1)).as("nothing past P1's running ping").isLessThan(1);
      await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 1); // the usual commit
      assertThat(stopped).isNotDone();
    } finally {
      endOfTest.countDown();
    }
  }

  @Test
  void shouldPauseAndKeepAtMostOnePollBatchWaitingWhenEverySlotIsBusy() throws Exception {
    int maxInFlight = 10;
    int batch =
        Math.min(500, maxInFlight); // max.poll.records, as PongServer.consumerConfig sets it
    consumer.setMaxPollRecords(batch);
    GatedHandler handler = new GatedHandler();
    start(handler, maxInFlight, List.of(P0));
    send(P0, 0, 100);

    await()
        .atMost(WAIT)
        .until(() -> handler.running.get() == maxInFlight && consumer.paused().contains(P0));
    // While gated, nothing finishes: polled minus started is the backlog, and it only grows.
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(
            () ->
                consumer.polledRecords.get() - handler.started.get() <= batch
                    && consumer.paused().contains(P0));
    assertThat(handler.started.get()).isEqualTo(maxInFlight);
    assertThat(consumer.polledRecords.get()).isEqualTo(maxInFlight + batch);

    handler.finish.release(100);
    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 100);
    assertThat(handler.mostRunning.get()).isEqualTo(maxInFlight);
    assertThat(consumer.paused()).isEmpty();
    stop();
  }

  @Test
  void shouldRefillAFreedSlotWithinThePollTimeoutWhenFewerPingsFinishThanTheRefillBatch()
      throws Exception {
    // 64 slots refill in batches of 4, or once PollLoop.POLL_TIMEOUT (100 ms) has passed.
    int maxInFlight = 64;
    GatedHandler handler = new GatedHandler();
    start(handler, maxInFlight, List.of(P0));
    send(P0, 0, 100);
    await().atMost(WAIT).until(() -> handler.running.get() == maxInFlight);

    Duration slowest = Duration.ZERO;
    for (int refill = 1; refill <= 5; refill++) {
      int startedAfterIt = maxInFlight + refill;
      long freed = System.nanoTime();
      handler.finish.release(1);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> handler.started.get() == startedAfterIt);
      Duration took = Duration.ofNanos(System.nanoTime() - freed);
      slowest = took.compareTo(slowest) > 0 ? took : slowest;
    }

    assertThat(PollLoop.POLL_TIMEOUT).isEqualTo(Duration.ofMillis(100));
    assertThat(slowest).isLessThan(PollLoop.POLL_TIMEOUT.plusMillis(400));
    handler.finish.release(100);
    await().atMost(WAIT).until(() -> consumer.committedOffset(P0) == 100);
    stop();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

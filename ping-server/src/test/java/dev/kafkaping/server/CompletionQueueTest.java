package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.Thread.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompletionQueueTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void drainsEveryItemOldestFirst() {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    queue.add(1);
    queue.add(2);
    queue.add(3);

    List<Integer> taken = new ArrayList<>();
    queue.drain(taken::add);
    queue.drain(taken::add);

    assertThat(taken).containsExactly(1, 2, 3);
  }

  @Test
  void doesNotWaitWhenEnoughAreQueued() throws InterruptedException {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    queue.add(1);
    queue.add(2);

    long started = System.nanoTime();
    queue.await(2, LONG);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LONG);
  }

  @Test
  void returnsAfterTheTimeoutWhenTooFewArrive() throws InterruptedException {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    queue.add(1);

    long started = System.nanoTime();
    queue.await(2, Duration.ofMillis(50));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    List<Integer> taken = new ArrayList<>();
    queue.drain(taken::add);
    assertThat(taken).containsExactly(1);
  }

  @Test
  void sleepsThroughAPartialBatchAndIsWokenByTheAddThatCompletesIt() throws Exception {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    CompletableFuture<Void> awaited = new CompletableFuture<>();
    Thread taker =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    queue.await(3, LONG);
                    awaited.complete(null);
                  } catch (InterruptedException e) {
                    awaited.completeExceptionally(e);
                  }
                });
    await().atMost(Duration.ofSeconds(10)).until(() -> taker.getState() == State.TIMED_WAITING);

    queue.add(1);
    queue.add(2);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !awaited.isDone());
    queue.add(3);

    // Well within the 30 s the taker would otherwise sleep.
    awaited.get(10, TimeUnit.SECONDS);
    List<Integer> taken = new ArrayList<>();
    queue.drain(taken::add);
    assertThat(taken).containsExactly(1, 2, 3);
  }

  @Test
  void manyAddersLoseNothingAndLeaveTheCountRight() throws Exception {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    int adders = 8;
    int each = 10_000;
    List<Thread> threads = new ArrayList<>();
    for (int a = 0; a < adders; a++) {
      int base = a * each;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      queue.add(base + i);
                    }
                  }));
    }
    List<Integer> taken = new ArrayList<>();
    long deadline = System.nanoTime() + LONG.toNanos();
    while (taken.size() < adders * each && System.nanoTime() < deadline) {
      queue.await(64, Duration.ofMillis(100));
      queue.drain(taken::add);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    queue.drain(taken::add);
    assertThat(taken).hasSize(adders * each).doesNotHaveDuplicates();

    // Empty again: a wait for one item runs to its timeout, and one add ends the next wait.
    long started = System.nanoTime();
    queue.await(1, Duration.ofMillis(50));
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    Thread.ofVirtual().start(() -> queue.add(-1));
    started = System.nanoTime();
    queue.await(1, LONG);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void anInterruptedWaitThrows() {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> queue.await(1, LONG)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}

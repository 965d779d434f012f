package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
  void isWokenByTheAddThatCompletesTheBatch() throws Exception {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Void> awaited =
        CompletableFuture.runAsync(
            () -> {
              waiting.countDown();
              try {
                queue.await(3, LONG);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

    queue.add(1);
    queue.add(2);
    queue.add(3);

    // Well within the 30 s the waiter would otherwise sleep.
    awaited.get(10, TimeUnit.SECONDS);
    List<Integer> taken = new ArrayList<>();
    queue.drain(taken::add);
    assertThat(taken).containsExactly(1, 2, 3);
  }

  @Test
  void manyAddersLoseNothing() throws Exception {
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
  }

  @Test
  void anInterruptedWaitThrows() {
    CompletionQueue<Integer> queue = new CompletionQueue<>();
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> queue.await(1, LONG)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}

package dev.kafkaping.server;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Many threads add, one thread takes. The taker may wait for several items at once: an adder wakes
 * it only when the count it waits for is reached, so a busy server does not pay a thread wake-up
 * for every item.
 */
final class CompletionQueue<T> {
  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private volatile Thread waiter;
  private volatile int wakeAt = 1;

  /** From any thread; never blocks. */
  void add(T item) {
    items.add(item);
    if (size.incrementAndGet() >= wakeAt) {
      Thread taker = waiter;
      if (taker != null) {
        LockSupport.unpark(taker);
      }
    }
  }

  /** Waits until at least {@code count} items are queued or {@code timeout} has passed. */
  void await(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    wakeAt = count;
    waiter = Thread.currentThread();
    try {
      // Set before checking: an adder that misses the waiter has already raised the size we read.
      while (size.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      waiter = null;
    }
  }

  /** Hands every queued item to {@code taker}, oldest first; the taking thread only. */
  void drain(Consumer<T> taker) {
    T item;
    while ((item = items.poll()) != null) {
      size.decrementAndGet();
      taker.accept(item);
    }
  }
}

package dev.kafkaping.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The sessions waiting for a pong, by session id (the pattern of spring-kafka's {@code
 * ReplyingKafkaTemplate}): a session registers before its ping is sent, and whichever of its pong
 * and its end (timed out, failed, stopped) removes the entry first wins.
 */
final class PendingPongs {
  private final Map<UUID, Consumer<PingMessage>> waiting = new ConcurrentHashMap<>();
  // Set once, when the listener stops for good, so that sessions registering later fail at once.
  private volatile RuntimeException failure;
  private final CountDownLatch firstPong = new CountDownLatch(1);

  void register(UUID sessionId, Consumer<PingMessage> session) {
    waiting.put(sessionId, session);
    RuntimeException failed = failure;
    if (failed != null) {
      session.accept(new PingMessage.ListenerFailed(failed));
    }
  }

  void unregister(UUID sessionId) {
    waiting.remove(sessionId);
  }

  /**
   * Might the record with this key be the pong of a waiting session? False only when the key is a
   * session id nobody here waits for; a missing or other key cannot tell.
   */
  boolean mayWaitFor(byte[] key) {
    if (key == null) {
      return true;
    }
    try {
      return waiting.containsKey(UUID.fromString(new String(key, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException notASessionId) {
      return true;
    }
  }

  /** Hands the pong to its session; false when none waits for it (another client's, or late). */
  boolean deliver(PingMessage.PongReceived pong) {
    Consumer<PingMessage> session;
    synchronized (firstPong) {
      session = waiting.remove(pong.pong().sessionId());
      if (session == null) {
        return false;
      }
      firstPong.countDown();
    }
    session.accept(pong);
    return true;
  }

  /**
   * Fails every session (as {@link #failAll}) unless a pong has come meanwhile: a late verdict of
   * "nobody is there" must not end a run that has just been answered.
   */
  boolean failAllUnlessAnswered(RuntimeException error) {
    synchronized (firstPong) {
      if (firstPong.getCount() == 0) {
        return false;
      }
      failAll(error);
      return true;
    }
  }

  /** Why the listener stopped for good, if it did: no ping should be sent then. */
  Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  /** Waits until some session got its pong; false if none did within the timeout. */
  boolean awaitFirstPong(Duration timeout) throws InterruptedException {
    return firstPong.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The listener stopped for good: every session waiting now or registering later fails. */
  void failAll(RuntimeException error) {
    failure = error;
    waiting.values().forEach(session -> session.accept(new PingMessage.ListenerFailed(error)));
  }
}

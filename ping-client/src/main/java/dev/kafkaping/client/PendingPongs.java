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
 * and its end (timed out, failed, stopped) removes the entry first wins. A session that got its
 * pong is remembered for a while, so that a second pong for it is reported as a duplicate. Under a
 * reply convention a session's id is its correlation id (see {@link RequestReply}), so replies are
 * matched, and duplicates told, by correlation id.
 */
final class PendingPongs {
  /**
   * A session as it waits: its machine, and what a duplicate of its pong would report.
   *
   * @param sentNanos when its ping was handed over; 0 until then
   */
  record Session(
      UUID id, int sequence, String traceId, long sentNanos, Consumer<PingMessage> machine) {

    Session(UUID id, int sequence, String traceId, Consumer<PingMessage> machine) {
      this(id, sequence, traceId, 0, machine);
    }

    Session handedOver(long nanos) {
      return new Session(id, sequence, traceId, nanos, machine);
    }
  }

  /** What a pong handed to {@link #deliver} turned out to be. */
  enum Match {
    ANSWERED,
    DUPLICATE,
    /** Another client's, or one for a session of ours that ended without it. */
    NOT_OURS
  }

  private final Map<UUID, Session> waiting = new ConcurrentHashMap<>();
  private final AnsweredSessions answered = new AnsweredSessions();
  // Set once by the run, before its first ping; until then no session can have been answered.
  private volatile Consumer<DuplicatePong> duplicates = duplicate -> {};
  // Set once, when the listener stops for good, so that sessions registering later fail at once.
  private volatile RuntimeException failure;
  private final CountDownLatch firstPong = new CountDownLatch(1);

  void register(Session session) {
    waiting.put(session.id(), session);
    RuntimeException failed = failure;
    if (failed != null) {
      session.machine().accept(new PingMessage.ListenerFailed(failed));
    }
  }

  /** The session's ping is being handed to the producer now: a duplicate is timed from here. */
  void handedOver(UUID sessionId, long sentNanos) {
    waiting.computeIfPresent(sessionId, (id, session) -> session.handedOver(sentNanos));
  }

  void unregister(UUID sessionId) {
    waiting.remove(sessionId);
  }

  void onDuplicate(Consumer<DuplicatePong> sink) {
    duplicates = sink;
  }

  /**
   * Might the record with this key be a pong of one of our sessions, waiting or answered? False
   * only when the key is a session id that is neither; a missing or other key cannot tell.
   */
  boolean mayBeOurs(byte[] key) {
    if (key == null) {
      return true;
    }
    try {
      UUID sessionId = UUID.fromString(new String(key, StandardCharsets.UTF_8));
      return waiting.containsKey(sessionId) || answered.find(sessionId).isPresent();
    } catch (IllegalArgumentException notASessionId) {
      return true;
    }
  }

  /**
   * Hands the pong to its session, or reports it as a duplicate when its session was answered
   * already; another client's pong, or a late one, is left alone.
   */
  Match deliver(PingMessage.PongReceived pong) {
    UUID sessionId = pong.sessionId();
    Session session;
    synchronized (firstPong) {
      session = waiting.remove(sessionId);
      if (session != null) {
        answered.remember(
            sessionId,
            new AnsweredSessions.Answered(
                session.sequence(), session.sentNanos(), session.traceId()));
        firstPong.countDown();
      }
    }
    if (session != null) {
      session.machine().accept(pong);
      return Match.ANSWERED;
    }
    Optional<AnsweredSessions.Answered> first = answered.find(sessionId);
    if (first.isEmpty()) {
      return Match.NOT_OURS;
    }
    duplicates.accept(duplicateOf(pong, first.get()));
    return Match.DUPLICATE;
  }

  private static DuplicatePong duplicateOf(
      PingMessage.PongReceived pong, AnsweredSessions.Answered first) {
    return new DuplicatePong(
        first.sequence(),
        pong.sessionId(),
        pong.partition(),
        pong.offset(),
        pong.bytes(),
        (pong.receivedNanos() - first.sentNanos()) / 1e6,
        first.traceId());
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
    waiting
        .values()
        .forEach(session -> session.machine().accept(new PingMessage.ListenerFailed(error)));
  }
}

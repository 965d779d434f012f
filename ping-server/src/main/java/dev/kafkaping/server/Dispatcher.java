package dev.kafkaping.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one virtual thread per ping while fewer than {@code maxInFlight} are running, keeps the
 * rest of a poll batch for later, and records in {@link InFlightOffsets} what the threads report.
 * Used by the poll thread only; the completion queue is the one hand-off from answering threads.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration BUG_BACKOFF = Duration.ofMillis(500);
  private static final int WAITING_PER_SLOT = 10;

  private final RecordHandler handler;
  private final Ownership ownership;
  private final InFlightOffsets offsets;
  private final ServerStats stats;
  private final int maxInFlight;
  private final Deque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
  private final CompletionQueue<Completion> completions = new CompletionQueue<>();
  private final Map<TopicPartition, Integer> runningPerPartition = new HashMap<>();
  private final int refillBatch;
  private final WaitingRoom waitingRoom;
  private int running;
  private Throwable fatal;

  private record Completion(
      ConsumerRecord<byte[], byte[]> record,
      InFlightOffsets.Ticket ticket,
      long epoch,
      Handled handled) {}

  Dispatcher(
      RecordHandler handler,
      Ownership ownership,
      InFlightOffsets offsets,
      ServerStats stats,
      int maxInFlight) {
    this.handler = handler;
    this.ownership = ownership;
    this.offsets = offsets;
    this.stats = stats;
    this.maxInFlight = maxInFlight;
    this.refillBatch = Math.clamp(maxInFlight / 16, 1, 64);
    // Pings waiting for the registry cost memory only; ten times the slots bounds that.
    this.waitingRoom = new WaitingRoom(WAITING_PER_SLOT * maxInFlight);
  }

  /** Queues polled records; {@link #dispatch} starts them as slots free up. */
  void offer(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      stats.received();
      backlog.addLast(record);
    }
  }

  /** Starts queued pings, oldest first, while fewer than the maximum are running. */
  void dispatch() {
    waitingRoom.scoutIfDue(System.nanoTime()).ifPresent(backlog::addFirst);
    while (running < maxInFlight && !backlog.isEmpty() && !ownership.stopping()) {
      start(backlog.pollFirst());
    }
  }

  /** Pings wait for a slot, or the waiting room is full: consumption should pause. */
  boolean hasBacklog() {
    return !backlog.isEmpty() || waitingRoom.full();
  }

  /** Pings waiting for the schema registry, without a slot. */
  int waitingForRegistry() {
    return waitingRoom.size();
  }

  int running() {
    return running;
  }

  int running(Collection<TopicPartition> partitions) {
    return partitions.stream().mapToInt(p -> runningPerPartition.getOrDefault(p, 0)).sum();
  }

  /** The first error that makes answering impossible, if a thread reported one. */
  Optional<Throwable> fatalError() {
    return Optional.ofNullable(fatal);
  }

  /** Forgets queued pings of partitions that moved away (or all, on shutdown): never started. */
  void dropBacklog(Collection<TopicPartition> partitions) {
    backlog.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    waitingRoom.drop(partitions);
  }

  void dropBacklog() {
    backlog.clear();
    waitingRoom.clear();
  }

  /** Records what finished threads reported, without waiting. */
  void collect() {
    completions.drain(this::settle);
  }

  /** Waits up to {@code timeout} for a thread to finish, then records all that did. */
  void awaitCompletion(Duration timeout) throws InterruptedException {
    completions.await(1, timeout);
    collect();
  }

  /**
   * With every slot busy and pings waiting: waits up to {@code timeout} for a batch of threads to
   * finish, then records all that did. Refilling slots a batch at a time spares the poll thread a
   * wake-up (and a carrier the wake-up it then causes) for every single ping.
   */
  void awaitFreeSlots(Duration timeout) throws InterruptedException {
    completions.await(refillBatch, timeout);
    collect();
  }

  private void start(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    InFlightOffsets.Ticket ticket = offsets.started(partition, record.offset());
    long epoch = ownership.epoch(partition);
    running++;
    runningPerPartition.merge(partition, 1, Integer::sum);
    stats.started();
    Thread.ofVirtual()
        .name("ping-" + record.partition() + "-" + record.offset())
        .start(
            () ->
                completions.add(
                    new Completion(record, ticket, epoch, handleSafely(record, partition, epoch))));
  }

  private Handled handleSafely(
      ConsumerRecord<byte[], byte[]> record, TopicPartition partition, long epoch) {
    try {
      return handler.handle(record, () -> ownership.stillOurs(partition, epoch));
    } catch (RuntimeException | Error e) {
      // The handler treats its own failures as failed attempts, so this is a bug: the ping goes
      // back to the backlog (settle) after a pause, rather than holding its partition back.
      log.error("bug while handling {}; it will be tried again", PingRecords.position(record), e);
      pause(BUG_BACKOFF);
      return new Handled.Crashed(e.toString());
    }
  }

  /** Answered or dead-lettered; a scout that got through brings the waiting room back. */
  private void finished(Completion completion) {
    offsets.finished(completion.ticket());
    List<ConsumerRecord<byte[], byte[]>> released = waitingRoom.release(completion.record());
    for (int i = released.size() - 1; i >= 0; i--) {
      backlog.addFirst(released.get(i));
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration); // backoff before a retry, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void settle(Completion completion) {
    running--;
    runningPerPartition.merge(completion.ticket().partition(), -1, Integer::sum);
    stats.done();
    ConsumerRecord<byte[], byte[]> record = completion.record();
    boolean stillOurs = ownership.stillOurs(completion.ticket().partition(), completion.epoch());
    switch (completion.handled()) {
      case Handled.Answered a -> finished(completion);
      case Handled.DeadLettered d -> finished(completion);
      case Handled.WaitingForRegistry w -> {
        if (stillOurs) {
          waitingRoom.admit(record, System.nanoTime());
        } else {
          waitingRoom.scoutGone(record);
        }
      }
      case Handled.LeftUnanswered left -> waitingRoom.scoutGone(record);
      case Handled.Crashed crashed -> {
        waitingRoom.scoutGone(record);
        if (stillOurs) {
          backlog.addFirst(record);
        }
      }
      case Handled.Fatal f -> {
        if (fatal == null) {
          fatal = f.error();
        }
      }
    }
  }
}

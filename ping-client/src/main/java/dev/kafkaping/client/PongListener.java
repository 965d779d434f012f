package dev.kafkaping.client;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.tracing.KafkaHeadersGetter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pong topic on its own thread and hands each pong (or reply) to the session waiting for
 * it, as its {@link ReplyMatcher} recognises them. It is positioned at the end of every pong
 * partition before the first ping goes out, so no pong can slip past; it reads all partitions
 * because a third-party server may partition pongs its own way.
 */
final class PongListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PongListener.class);

  /**
   * How long {@link #close} waits for the thread to leave {@code poll()} and close the consumer.
   */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private static final Duration METADATA_RETRY_PAUSE = Duration.ofMillis(100);

  // Touched only by the listener thread once it has started: a Kafka consumer is single-threaded.
  private final Consumer<byte[], byte[]> consumer;
  private final PendingPongs pending;
  private final ReplyMatcher matcher;
  private final TextMapPropagator propagator;
  private final Thread thread;
  private volatile boolean closed;

  private PongListener(
      Consumer<byte[], byte[]> consumer,
      PendingPongs pending,
      ReplyMatcher matcher,
      TextMapPropagator propagator) {
    this.consumer = consumer;
    this.pending = pending;
    this.matcher = matcher;
    this.propagator = propagator;
    this.thread = Thread.ofPlatform().daemon().name("pong-listener").unstarted(this::pollLoop);
  }

  /**
   * Assigns every pong partition, seeks to its end and resolves the position, all within {@code
   * timeout}, then starts reading. From then on the listener owns the consumer and closes it; if
   * this throws, the consumer is still the caller's.
   */
  static PongListener start(
      Consumer<byte[], byte[]> consumer,
      String pongTopic,
      Duration timeout,
      PendingPongs pending,
      ReplyMatcher matcher,
      TextMapPropagator propagator)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<TopicPartition> partitions = partitionsOf(consumer, pongTopic, timeout);
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    for (TopicPartition partition : partitions) {
      // Forces the lookup now, before any ping is sent, so that a fast pong cannot be skipped.
      consumer.position(partition, remaining(deadline));
    }
    PongListener listener = new PongListener(consumer, pending, matcher, propagator);
    listener.thread.start();
    return listener;
  }

  /**
   * The topic's partitions. Right after the topic was created the broker may not know them yet and
   * answer with none, so this asks again, with a short pause, until it does or the deadline passes.
   */
  static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      }
      if (remaining(deadline).compareTo(METADATA_RETRY_PAUSE) <= 0) {
        throw new UserError(
            "topic '" + topic + "' still has no partitions after " + timeout.toMillis() + " ms");
      }
      Thread.sleep(METADATA_RETRY_PAUSE);
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private void pollLoop() {
    try {
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          route(record, System.nanoTime());
        }
      }
    } catch (WakeupException e) {
      // close() woke us up
    } catch (RuntimeException e) {
      if (!closed) {
        log.debug("pong listener stopped", e);
        pending.failAll(e);
      }
    } finally {
      closeConsumer();
    }
  }

  private void closeConsumer() {
    try {
      // Every ping that mattered has been answered or given up on; nothing is worth waiting for.
      consumer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      log.debug("closing the pong consumer failed", e);
    }
  }

  private void route(ConsumerRecord<byte[], byte[]> record, long receivedNanos) {
    Optional<UUID> sessionId = matcher.sessionOf(record);
    if (sessionId.isEmpty()) {
      return;
    }
    Context sender =
        propagator.extract(Context.root(), record.headers(), KafkaHeadersGetter.INSTANCE);
    PingMessage.PongReceived received =
        new PingMessage.PongReceived(
            sessionId.get(),
            record.partition(),
            record.offset(),
            record.value() == null ? 0 : record.value().length,
            receivedNanos,
            sender);
    if (pending.deliver(received) == PendingPongs.Match.NOT_OURS) {
      log.debug("ignoring {} (not ours, or its wait is over)", matcher.describe(sessionId.get()));
    }
  }

  /**
   * Stops the listener; its thread closes the consumer on the way out. If the thread has not ended
   * within {@link #CLOSE_WAIT} the consumer is left to it: closing it from here would race with
   * {@code poll()}, and the daemon thread ends with the process anyway. Never throws.
   */
  @Override
  public void close() {
    closed = true;
    try {
      consumer.wakeup();
    } catch (RuntimeException e) {
      log.debug("waking up the pong consumer failed", e);
    }
    try {
      thread.join(CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.kafkaping.client;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.tracing.KafkaHeadersGetter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pong topic on its own thread and routes each pong to the session waiting for it. It is
 * positioned at the end of every pong partition before the first ping goes out, so no pong can slip
 * past; it reads all partitions because a third-party server may partition pongs its own way.
 */
final class PongListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PongListener.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TextMapPropagator propagator;
  // Sessions register before their ping is sent and leave when finished.
  private final Map<UUID, Consumer<PingMessage>> waiting = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile RuntimeException failure;

  private PongListener(KafkaConsumer<byte[], byte[]> consumer, TextMapPropagator propagator) {
    this.consumer = consumer;
    this.propagator = propagator;
    this.thread = Thread.ofPlatform().daemon().name("pong-listener").unstarted(this::pollLoop);
  }

  /** Assigns every pong partition, seeks to its end and resolves the position, then starts. */
  static PongListener start(
      KafkaConsumer<byte[], byte[]> consumer,
      String pongTopic,
      Duration timeout,
      TextMapPropagator propagator) {
    List<PartitionInfo> infos = consumer.partitionsFor(pongTopic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic '" + pongTopic + "' has no partitions");
    }
    List<TopicPartition> partitions =
        infos.stream().map(info -> new TopicPartition(pongTopic, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    for (TopicPartition partition : partitions) {
      consumer.position(partition, timeout); // forces the lookup now, before any ping is sent
    }
    PongListener listener = new PongListener(consumer, propagator);
    listener.thread.start();
    return listener;
  }

  void register(UUID sessionId, Consumer<PingMessage> machine) {
    waiting.put(sessionId, machine);
    if (failure != null) {
      machine.accept(new PingMessage.ListenerFailed(failure.getMessage()));
    }
  }

  /** Why the listener stopped for good, or null while it runs. */
  RuntimeException failure() {
    return failure;
  }

  void unregister(UUID sessionId) {
    waiting.remove(sessionId);
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
        failure = e;
        waiting
            .values()
            .forEach(machine -> machine.accept(new PingMessage.ListenerFailed(e.getMessage())));
      }
    }
  }

  private void route(ConsumerRecord<byte[], byte[]> record, long receivedNanos) {
    Pong pong;
    try {
      pong = WireCodec.decodePong(record.value());
    } catch (MalformedMessageException e) {
      log.debug(
          "ignoring malformed pong at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return;
    }
    Consumer<PingMessage> onPong = waiting.get(pong.sessionId());
    if (onPong == null) {
      log.debug("ignoring pong for session {} (not ours, or already answered)", pong.sessionId());
      return;
    }
    Context sender =
        propagator.extract(Context.root(), record.headers(), KafkaHeadersGetter.INSTANCE);
    onPong.accept(
        new PingMessage.PongReceived(
            pong, record.partition(), record.offset(), receivedNanos, sender));
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ZERO);
  }
}

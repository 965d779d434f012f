package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PongListenerTest {
  private static final TopicPartition PONG_0 = new TopicPartition("pong", 0);
  private static final Duration SETUP = Duration.ofSeconds(10);

  private final PendingPongs pending = new PendingPongs();
  private final BlockingQueue<PingMessage> session = new LinkedBlockingQueue<>();
  private final UUID sessionId = UUID.randomUUID();

  @Test
  void shouldAskForPartitionsAgainWhenTheNewTopicHasNoneYet() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    MockConsumer<byte[], byte[]> consumer =
        new MockConsumer<>("latest") {
          @Override
          public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            return asked.incrementAndGet() < 3 ? List.of() : List.of(partition(0), partition(1));
          }
        };

    List<TopicPartition> partitions = PongListener.partitionsOf(consumer, "pong", SETUP);

    assertThat(partitions).containsExactly(PONG_0, new TopicPartition("pong", 1));
    assertThat(asked).hasValue(3);
  }

  @Test
  void shouldFailWithOneLineWhenTheTopicNeverGetsPartitions() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");

    assertThatThrownBy(() -> PongListener.partitionsOf(consumer, "pong", Duration.ofMillis(300)))
        .isInstanceOf(UserError.class)
        .hasMessage("topic 'pong' still has no partitions after 300 ms");
  }

  @Test
  void shouldHandAPongToItsSessionWhenItArrivesAfterTheStart() throws Exception {
    MockConsumer<byte[], byte[]> consumer = readyConsumer();
    pending.register(new PendingPongs.Session(sessionId, 1, null, session::add));

    try (PongListener listener = start(consumer)) {
      consumer.addRecord(
          new ConsumerRecord<>(
              "pong",
              0,
              5,
              sessionId.toString().getBytes(StandardCharsets.UTF_8),
              WireCodec.encodePong(new Pong(sessionId))));

      assertThat(session.poll(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              PingMessage.PongReceived.class,
              pong -> {
                assertThat(pong.sessionId()).isEqualTo(sessionId);
                assertThat(pong.partition()).isZero();
                assertThat(pong.offset()).isEqualTo(5);
              });
    }
  }

  @Test
  void shouldReportTheSecondPongAsADuplicateWhenASessionIsAnsweredTwice() throws Exception {
    MockConsumer<byte[], byte[]> consumer = readyConsumer();
    BlockingQueue<DuplicatePong> duplicates = new LinkedBlockingQueue<>();
    pending.onDuplicate(duplicates::add);
    pending.register(new PendingPongs.Session(sessionId, 4, "trace", session::add));

    try (PongListener listener = start(consumer)) {
      consumer.addRecord(pongRecord(5));
      consumer.addRecord(pongRecord(6));

      assertThat(session.poll(10, TimeUnit.SECONDS)).isInstanceOf(PingMessage.PongReceived.class);
      DuplicatePong duplicate = duplicates.poll(10, TimeUnit.SECONDS);
      assertThat(duplicate.sessionId()).isEqualTo(sessionId);
      assertThat(duplicate.sequence()).isEqualTo(4);
      assertThat(duplicate.offset()).isEqualTo(6);
      assertThat(session).isEmpty();
    }
  }

  private ConsumerRecord<byte[], byte[]> pongRecord(long offset) {
    return new ConsumerRecord<>(
        "pong",
        0,
        offset,
        sessionId.toString().getBytes(StandardCharsets.UTF_8),
        WireCodec.encodePong(new Pong(sessionId)));
  }

  @Test
  void shouldCloseTheConsumerOnItsOwnThreadWhenClosed() throws Exception {
    RecordingConsumer consumer = new RecordingConsumer();
    prepare(consumer);
    PongListener listener = start(consumer);

    listener.close();

    assertThat(consumer.closed()).isTrue();
    assertThat(consumer.closedBy.getName()).isEqualTo("pong-listener");
  }

  @Test
  void shouldFailWaitingSessionsAndCloseTheConsumerWhenPollingFails() throws Exception {
    MockConsumer<byte[], byte[]> consumer = readyConsumer();
    KafkaException error = new KafkaException("not allowed to read 'pong'");
    consumer.setPollException(error);
    pending.register(new PendingPongs.Session(sessionId, 1, null, session::add));

    PongListener listener = start(consumer);

    assertThat(session.poll(10, TimeUnit.SECONDS)).isEqualTo(new PingMessage.ListenerFailed(error));
    await().atMost(Duration.ofSeconds(10)).until(consumer::closed);
    listener.close();
  }

  @Test
  void shouldLeaveTheConsumerAloneWithoutThrowingWhenTheThreadDoesNotEndInTime() throws Exception {
    StuckConsumer consumer = new StuckConsumer();
    prepare(consumer);
    PongListener listener = start(consumer);
    consumer.polling.await();

    assertTimeoutPreemptively(PongListener.CLOSE_WAIT.multipliedBy(3), listener::close);

    assertThat(consumer.closed()).isFalse();
    consumer.release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(consumer::closed);
  }

  private PongListener start(MockConsumer<byte[], byte[]> consumer) throws InterruptedException {
    return PongListener.start(
        consumer,
        "pong",
        SETUP,
        pending,
        new PongBodyMatcher(PingWire.JSON, pending),
        TextMapPropagator.noop());
  }

  private static MockConsumer<byte[], byte[]> readyConsumer() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");
    prepare(consumer);
    return consumer;
  }

  private static void prepare(MockConsumer<byte[], byte[]> consumer) {
    consumer.updatePartitions("pong", List.of(partition(0)));
    consumer.updateEndOffsets(Map.of(PONG_0, 5L));
  }

  private static PartitionInfo partition(int number) {
    return new PartitionInfo("pong", number, null, null, null);
  }

  /** Remembers which thread closed it. */
  private static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
    volatile Thread closedBy;

    RecordingConsumer() {
      super("latest");
    }

    @Override
    public synchronized void close(Duration timeout) {
      closedBy = Thread.currentThread();
      super.close(timeout);
    }
  }

  /** A poll() that does not return, wakeup or not, until the test releases it. */
  private static final class StuckConsumer extends MockConsumer<byte[], byte[]> {
    final CountDownLatch polling = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    StuckConsumer() {
      super("latest");
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      polling.countDown();
      boolean released = false;
      while (!released) {
        try {
          release.await();
          released = true;
        } catch (InterruptedException e) {
          // stuck on purpose
        }
      }
      return super.poll(timeout);
    }
  }
}

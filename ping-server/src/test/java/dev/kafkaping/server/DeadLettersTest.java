package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  /** A producer whose sends fail with the queued errors, in order, then succeed. */
  static final class RefusingProducer extends MockProducer<byte[], byte[]> {
    final Deque<RuntimeException> errors = new ArrayDeque<>();

    RefusingProducer(RuntimeException... errors) {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      this.errors.addAll(List.of(errors));
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      RuntimeException error = errors.pollFirst();
      if (error != null) {
        return CompletableFuture.failedFuture(error);
      }
      return super.send(record, callback);
    }
  }

  private final ConsumerRecord<byte[], byte[]> source = malformedWithHugeHeader();

  private static ConsumerRecord<byte[], byte[]> malformedWithHugeHeader() {
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("ping", 2, 7, "key".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    record.headers().add("huge", new byte[900_000]);
    return record;
  }

  private Attempt copy(RefusingProducer producer) {
    return new DeadLetters(producer, "ping.DLT", Duration.ofSeconds(1)).copy(source, "not JSON");
  }

  @Test
  void shouldCopyKeyValueAndHeadersWhenTheBrokerTakesTheRecord() {
    RefusingProducer producer = new RefusingProducer();

    assertThat(copy(producer)).isEqualTo(new Attempt.Done(new Handled.DeadLettered(true)));
    ProducerRecord<byte[], byte[]> copied = producer.history().getFirst();
    assertThat(copied.value()).containsExactly(1);
    assertThat(copied.headers().lastHeader("huge")).isNotNull();
    assertThat(text(copied, DeadLetters.REASON)).isEqualTo("not JSON");
    assertThat(text(copied, DeadLetters.SOURCE_OFFSET)).isEqualTo("7");
  }

  @Test
  void shouldDropTheOriginalHeadersTooWhenTheCopyIsTooLarge() {
    RefusingProducer producer = new RefusingProducer(new RecordTooLargeException("too large"));

    assertThat(copy(producer)).isEqualTo(new Attempt.Done(new Handled.DeadLettered(true)));
    ProducerRecord<byte[], byte[]> evidence = producer.history().getFirst();
    assertThat(evidence.key()).isNull();
    assertThat(evidence.value()).isNull();
    assertThat(evidence.headers().lastHeader("huge")).isNull();
    assertThat(text(evidence, DeadLetters.SOURCE_PARTITION)).isEqualTo("2");
    assertThat(text(evidence, DeadLetters.VALUE_DROPPED)).contains("too large");
  }

  @Test
  void shouldGiveTheRecordUpRatherThanBlockThePartitionWhenEvenTheEvidenceIsRefused() {
    RefusingProducer producer =
        new RefusingProducer(
            new RecordTooLargeException("too large"), new RecordTooLargeException("still"));

    assertThat(copy(producer)).isEqualTo(new Attempt.Done(new Handled.DeadLettered(false)));
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void shouldAskForARetryWhenTheBrokerIsOnlyBusy() {
    RefusingProducer producer = new RefusingProducer(new NotLeaderOrFollowerException("moving"));

    assertThat(copy(producer)).isInstanceOf(Attempt.Failed.class);
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void shouldStopTheServerWhenItMayNotWriteTheDeadLetterTopic() {
    TopicAuthorizationException denied = new TopicAuthorizationException("denied");
    RefusingProducer producer = new RefusingProducer(denied);

    assertThat(copy(producer)).isEqualTo(new Attempt.Fatal(denied));
  }

  private static String text(ProducerRecord<byte[], byte[]> record, String header) {
    return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
  }
}

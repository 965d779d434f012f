package dev.kafkaping.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkaping.message.Ping;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A pong attempt ends when its send ends, so that no ping ever has two pongs queued at once. */
class PongResponderTest {
  private static final Duration BUDGET = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final PongResponder responder =
      new PongResponder(
          producer, "pong-server", BUDGET, WAIT, Optional.empty(), OpenTelemetry.noop());
  private final ConsumerRecord<byte[], byte[]> record =
      new ConsumerRecord<>("ping", 0, 7, new byte[0], new byte[0]);

  private CompletableFuture<Attempt> answerInBackground() {
    PingEnvelope ping = PingEnvelope.of(new Ping(UUID.randomUUID()));
    return CompletableFuture.supplyAsync(
        () ->
            responder.answer(
                record, ping, new ReplyRoute.PongTopic("pong"), WireCodec::encodePong));
  }

  @Test
  void shouldCountAPongAcknowledgedAfterTheBudgetAsAnswered() {
    CompletableFuture<Attempt> attempt = answerInBackground();
    await().atMost(WAIT).until(() -> producer.history().size() == 1);
    // Well past the budget, the send is still undecided: the attempt must wait for it.
    await().pollDelay(BUDGET.multipliedBy(2)).atMost(WAIT).until(() -> !attempt.isDone());

    producer.completeNext();

    assertThat(attempt).succeedsWithin(WAIT).isEqualTo(new Attempt.Done(new Handled.Answered()));
    assertThat(producer.history()).hasSize(1);
  }

  @Test
  void shouldFailTheAttemptOnlyOnceTheProducerGaveThePongUp() {
    CompletableFuture<Attempt> attempt = answerInBackground();
    await().atMost(WAIT).until(() -> producer.history().size() == 1);
    await().pollDelay(BUDGET.multipliedBy(2)).atMost(WAIT).until(() -> !attempt.isDone());

    producer.errorNext(new TimeoutException("Expiring 1 record(s): delivery timeout"));

    assertThat(attempt).succeedsWithin(WAIT).isInstanceOf(Attempt.Failed.class);
  }

  @Test
  void shouldAnswerWithinTheBudgetWhenTheBrokerAcknowledgesAtOnce() {
    CompletableFuture<Attempt> attempt = answerInBackground();
    await().atMost(WAIT).until(() -> producer.history().size() == 1);

    producer.completeNext();

    assertThat(attempt).succeedsWithin(WAIT).isEqualTo(new Attempt.Done(new Handled.Answered()));
  }
}

package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.WireCodec;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PingerTest {
  /** Long enough that a ping that fails to end at once shows up as the test's timeout. */
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final PendingPongs pending = new PendingPongs();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetry openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final Pinger pinger =
      new Pinger(
          producer,
          pending,
          PingWire.JSON,
          Optional.empty(),
          "ping",
          "pong",
          openTelemetry,
          PingMetrics.none());

  @Test
  void shouldReportTheRoundTripWhenThePongArrives() throws Exception {
    CompletableFuture<PingResult> result = pingInBackground(7);
    ProducerRecord<byte[], byte[]> ping = awaitPing();
    UUID sessionId = UUID.fromString(new String(ping.key(), StandardCharsets.UTF_8));

    pending.deliver(
        new PingMessage.PongReceived(sessionId, 2, 41, 60, System.nanoTime(), Context.root()));

    assertThat(result.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            RoundTrip.Answered.class,
            answered -> {
              assertThat(answered.sequence()).isEqualTo(7);
              assertThat(answered.sessionId()).isEqualTo(sessionId);
              assertThat(answered.partition()).isEqualTo(2);
              assertThat(answered.offset()).isEqualTo(41);
              assertThat(answered.millis()).isNotNegative();
              assertThat(answered.traceId()).hasSize(32);
            });
  }

  @Test
  void shouldReportASecondPongAsADuplicateOfItsPingWhenThePingWasAnswered() throws Exception {
    List<DuplicatePong> duplicates = new CopyOnWriteArrayList<>();
    pinger.onDuplicate(duplicates::add);
    CompletableFuture<PingResult> result = pingInBackground(7);
    UUID sessionId = UUID.fromString(new String(awaitPing().key(), StandardCharsets.UTF_8));
    pending.deliver(
        new PingMessage.PongReceived(sessionId, 2, 41, 60, System.nanoTime(), Context.root()));
    RoundTrip.Answered answered = (RoundTrip.Answered) result.get(10, TimeUnit.SECONDS);

    pending.deliver(
        new PingMessage.PongReceived(sessionId, 0, 3, 60, System.nanoTime(), Context.root()));

    assertThat(duplicates)
        .singleElement()
        .satisfies(
            duplicate -> {
              assertThat(duplicate.sequence()).isEqualTo(7);
              assertThat(duplicate.sessionId()).isEqualTo(sessionId);
              assertThat(duplicate.partition()).isZero();
              assertThat(duplicate.offset()).isEqualTo(3);
              assertThat(duplicate.millis()).isGreaterThanOrEqualTo(answered.millis());
              assertThat(duplicate.traceId()).isEqualTo(answered.traceId());
            });
  }

  @Test
  void shouldCarryTheSendSpansContextInTheEnvelopeAndTheHeadersWhenSending() throws Exception {
    CompletableFuture<PingResult> result = pingInBackground(1);
    ProducerRecord<byte[], byte[]> ping = awaitPing();
    pinger.stopAll();
    result.get(10, TimeUnit.SECONDS);

    PingEnvelope envelope = WireCodec.decodePing(ping.value());
    Header header = ping.headers().lastHeader("traceparent");
    SpanData send = span("send ping");
    SpanData session = span("ping");
    assertThat(envelope.body().sessionId().toString())
        .isEqualTo(new String(ping.key(), StandardCharsets.UTF_8));
    assertThat(envelope.context().get("traceparent"))
        .isEqualTo(new String(header.value(), StandardCharsets.UTF_8))
        .contains(send.getTraceId())
        .contains(send.getSpanId());
    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(send.getParentSpanId()).isEqualTo(session.getSpanId());
  }

  @Test
  void shouldCarryNoReplyHeadersWhenNoReplyConventionIsChosen() throws Exception {
    CompletableFuture<PingResult> result = pingInBackground(1);
    ProducerRecord<byte[], byte[]> ping = awaitPing();
    pinger.stopAll();
    result.get(10, TimeUnit.SECONDS);

    assertThat(ping.headers().toArray()).extracting(Header::key).containsExactly("traceparent");
  }

  @Test
  void shouldEndAtOnceWhenStoppedBeforeThePingStarted() {
    pinger.stopAll();

    PingResult result =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pinger.ping(1, WAIT));

    assertThat(result)
        .isInstanceOfSatisfying(
            RoundTrip.Lost.class, lost -> assertThat(lost.reason()).isEqualTo("interrupted"));
  }

  @Test
  void shouldEndAtOnceWhenStoppedWhileWaiting() throws Exception {
    CompletableFuture<PingResult> result = pingInBackground(1);
    awaitPing();

    pinger.stopAll();

    assertThat(result.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            RoundTrip.Lost.class, lost -> assertThat(lost.reason()).isEqualTo("interrupted"));
  }

  @Test
  void shouldReportALostPingWhenTheSendFailsForAReasonThatMayPass() {
    producer.sendException = new TimeoutException("Topic ping not present in metadata");

    assertThat(pinger.ping(1, WAIT))
        .isInstanceOfSatisfying(
            RoundTrip.Lost.class,
            lost ->
                assertThat(lost.reason())
                    .isEqualTo("ping not sent: Topic ping not present in metadata"));
  }

  @Test
  void shouldEndTheRunWhenTheBrokerRefusesThePing() {
    TopicAuthorizationException refused = new TopicAuthorizationException(Set.of("ping"));
    producer.sendException = refused;

    assertThat(pinger.ping(1, WAIT)).isEqualTo(new PingResult.Fatal(refused, "WRITE"));
  }

  @Test
  void shouldEndTheRunWhenThePongListenerHasStopped() {
    TopicAuthorizationException refused = new TopicAuthorizationException(Set.of("pong"));
    pending.failAll(refused);

    assertThat(pinger.ping(1, WAIT)).isEqualTo(new PingResult.Fatal(refused, "READ"));
    // Nobody will read a pong any more, so nothing was sent either.
    assertThat(producer.history()).isEmpty();
  }

  private CompletableFuture<PingResult> pingInBackground(int sequence) {
    return CompletableFuture.supplyAsync(() -> pinger.ping(sequence, WAIT));
  }

  private ProducerRecord<byte[], byte[]> awaitPing() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !producer.history().isEmpty());
    return producer.history().get(0);
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}

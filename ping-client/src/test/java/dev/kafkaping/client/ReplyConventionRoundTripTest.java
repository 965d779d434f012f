package dev.kafkaping.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.message.WireCodec;
import dev.kafkaping.reply.ReplyConvention;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole round trip under a reply convention, with a responder that does what Spring's
 * {@code @SendTo} does: answer on the reply topic, copy the correlation id back, reuse the key.
 */
@Timeout(30)
class ReplyConventionRoundTripTest {
  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final TopicPartition PONG_0 = new TopicPartition("pong", 0);
  private static final byte[] ANSWER = "HELLO SPRING".getBytes(StandardCharsets.UTF_8);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");
  private final AtomicLong nextOffset = new AtomicLong(5);
  private final PendingPongs pending = new PendingPongs();
  private final BlockingQueue<DuplicatePong> duplicates = new LinkedBlockingQueue<>();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetry openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private PongListener listener;

  @AfterEach
  void closeListener() {
    if (listener != null) {
      listener.close();
    }
  }

  @Test
  void shouldTimeTheReplyWhenTheServiceCopiesTheCorrelationIdBack() throws Exception {
    Responder responder = new Responder(ReplyConvention.SPRING, request -> answer(request));
    Pinger pinger =
        start(ReplyConvention.SPRING, Optional.of(Payload.of("hello spring")), responder);

    PingResult first = pinger.ping(1, WAIT);
    PingResult second = pinger.ping(2, WAIT);

    assertThat(first)
        .isInstanceOfSatisfying(
            RoundTrip.Answered.class,
            answered -> {
              assertThat(answered.sequence()).isEqualTo(1);
              assertThat(answered.partition()).isZero();
              assertThat(answered.offset()).isEqualTo(5);
              assertThat(answered.bytes()).isEqualTo(ANSWER.length);
              assertThat(answered.millis()).isNotNegative();
            });
    assertThat(second).isInstanceOf(RoundTrip.Answered.class);
    assertThat(((RoundTrip) first).sessionId()).isNotEqualTo(((RoundTrip) second).sessionId());
    assertThat(responder.requests)
        .allSatisfy(request -> assertThat(request.value()).asString().isEqualTo("hello spring"));
  }

  @Test
  void shouldIgnoreRepliesWithoutOrWithAForeignCorrelationIdWhenTheRightOneFollows()
      throws Exception {
    Responder responder =
        new Responder(
            ReplyConvention.SPRING,
            request -> {
              answer(request, Map.of()); // no correlation id at all
              answer(request, Map.of("kafka_correlationId", new byte[16])); // somebody else's
              answer(request);
            });
    Pinger pinger = start(ReplyConvention.SPRING, Optional.empty(), responder);

    assertThat(pinger.ping(1, WAIT))
        .isInstanceOfSatisfying(
            RoundTrip.Answered.class, answered -> assertThat(answered.offset()).isEqualTo(7));
    assertThat(duplicates).isEmpty();
  }

  @Test
  void shouldReportASecondReplyAsADuplicateWhenItCarriesTheSameCorrelationId() throws Exception {
    Responder responder =
        new Responder(
            ReplyConvention.SMALLRYE,
            request -> {
              answer(request);
              answer(request);
            });
    Pinger pinger = start(ReplyConvention.SMALLRYE, Optional.empty(), responder);

    RoundTrip.Answered answered = (RoundTrip.Answered) pinger.ping(4, WAIT);

    DuplicatePong duplicate = duplicates.poll(10, TimeUnit.SECONDS);
    assertThat(duplicate.sequence()).isEqualTo(4);
    assertThat(duplicate.sessionId()).isEqualTo(answered.sessionId());
    assertThat(duplicate.offset()).isEqualTo(6);
    assertThat(duplicate.bytes()).isEqualTo(ANSWER.length);
  }

  @Test
  void shouldSendThePingEnvelopeWithTheConventionsHeadersWhenNoPayloadIsGiven() throws Exception {
    Responder responder = new Responder(ReplyConvention.SMALLRYE, request -> answer(request));
    Pinger pinger = start(ReplyConvention.SMALLRYE, Optional.empty(), responder);

    RoundTrip.Answered answered = (RoundTrip.Answered) pinger.ping(1, WAIT);

    ProducerRecord<byte[], byte[]> request = responder.requests.getFirst();
    String id = answered.sessionId().toString();
    assertThat(WireCodec.decodePing(request.value()).body().sessionId())
        .isEqualTo(answered.sessionId());
    assertThat(request.key()).asString().isEqualTo(id);
    assertThat(header(request, "REPLY_TOPIC")).isEqualTo("pong");
    assertThat(header(request, "REPLY_CORRELATION_ID")).isEqualTo(id);
    assertThat(request.headers().lastHeader("REPLY_PARTITION")).isNull();
    assertThat(request.headers().lastHeader("traceparent")).isNotNull();
    assertThat(span("send ping").getAttributes().get(RequestReply.CONVERSATION_ID)).isEqualTo(id);
    assertThat(span("process pong").getAttributes().get(RequestReply.CONVERSATION_ID))
        .isEqualTo(id);
  }

  @Test
  void shouldSayNoReplyCameWhenTheServiceDoesNotAnswer() throws Exception {
    Pinger pinger =
        start(
            ReplyConvention.SPRING,
            Optional.empty(),
            new Responder(ReplyConvention.SPRING, r -> {}));

    assertThat(pinger.ping(1, Duration.ofMillis(200)))
        .isInstanceOfSatisfying(
            RoundTrip.Lost.class,
            lost -> assertThat(lost.reason()).isEqualTo("no reply within 200 ms"));
  }

  private Pinger start(ReplyConvention convention, Optional<Payload> payload, Responder responder)
      throws InterruptedException {
    RequestReply requestReply = new RequestReply(convention, payload);
    consumer.updatePartitions("pong", List.of(new PartitionInfo("pong", 0, null, null, null)));
    consumer.updateEndOffsets(Map.of(PONG_0, 5L));
    listener =
        PongListener.start(
            consumer,
            "pong",
            Duration.ofSeconds(10),
            pending,
            new CorrelationMatcher(requestReply),
            TextMapPropagator.noop());
    Pinger pinger =
        new Pinger(
            responder,
            pending,
            PingWire.JSON,
            Optional.of(requestReply),
            "ping",
            "pong",
            openTelemetry,
            PingMetrics.none());
    pinger.onDuplicate(duplicates::add);
    return pinger;
  }

  private void answer(ProducerRecord<byte[], byte[]> request) {
    Header correlationId = request.headers().lastHeader("kafka_correlationId");
    if (correlationId == null) {
      correlationId = request.headers().lastHeader("REPLY_CORRELATION_ID");
    }
    answer(request, Map.of(correlationId.key(), correlationId.value()));
  }

  /** As {@code @SendTo} answers: on the reply topic, with the request's key. */
  private void answer(ProducerRecord<byte[], byte[]> request, Map<String, byte[]> headers) {
    ConsumerRecord<byte[], byte[]> reply =
        new ConsumerRecord<>("pong", 0, nextOffset.getAndIncrement(), request.key(), ANSWER);
    headers.forEach((key, value) -> reply.headers().add(key, value));
    consumer.addRecord(reply);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** A producer whose every send reaches the service at once, which answers as it likes. */
  private static final class Responder extends MockProducer<byte[], byte[]> {
    final List<ProducerRecord<byte[], byte[]>> requests = new CopyOnWriteArrayList<>();
    private final ReplyConvention convention;
    private final Consumer<ProducerRecord<byte[], byte[]>> service;

    Responder(ReplyConvention convention, Consumer<ProducerRecord<byte[], byte[]>> service) {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      this.convention = convention;
      this.service = service;
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      Future<RecordMetadata> sent = super.send(record, callback);
      requests.add(record);
      if (record.headers().lastHeader(convention.topicHeader()) != null) {
        service.accept(record); // as Spring: no reply topic, no reply
      }
      return sent;
    }
  }
}

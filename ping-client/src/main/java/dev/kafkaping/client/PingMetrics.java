package dev.kafkaping.client;

import dev.kafkaping.metrics.MessagingMetrics;
import dev.kafkaping.tracing.MessagingAttributes;
import dev.kafkaping.tracing.TracedSend;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import java.util.Optional;

/**
 * What a ping run counts, as OpenTelemetry instruments: round-trip durations, and pings sent,
 * answered, lost (no pong within -W) and duplicated.
 */
final class PingMetrics {
  /** Round trips on one machine take milliseconds: finer than the messaging buckets below 5 ms. */
  static final List<Double> ROUND_TRIP_BUCKETS =
      List.of(
          0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);

  static final AttributeKey<Long> LEADER = AttributeKey.longKey("kafkaping.leader.id");

  private final MessagingMetrics messaging;
  private final String pingTopic;
  private final Attributes topic;
  private final DoubleHistogram roundTrip;
  private final LongCounter sent;
  private final LongCounter answered;
  private final LongCounter lost;
  private final LongCounter duplicated;

  PingMetrics(Meter meter, String pingTopic) {
    this.messaging = new MessagingMetrics(meter);
    this.pingTopic = pingTopic;
    this.topic = Attributes.of(MessagingAttributes.DESTINATION, pingTopic);
    this.roundTrip =
        meter
            .histogramBuilder("kafkaping.ping.round_trip.duration")
            .setUnit("s")
            .setDescription("From a ping's send to its pong's arrival")
            .setExplicitBucketBoundariesAdvice(ROUND_TRIP_BUCKETS)
            .build();
    this.sent = counter(meter, "kafkaping.ping.sent", "Pings sent");
    this.answered = counter(meter, "kafkaping.ping.answered", "Pings whose pong came");
    this.lost = counter(meter, "kafkaping.ping.lost", "Pings with no pong within -W");
    this.duplicated = counter(meter, "kafkaping.ping.duplicated", "Pongs that came a second time");
    // Reported at 0 from the start, so that rate() sees the first loss or duplicate.
    for (LongCounter counter : List.of(sent, answered, lost, duplicated)) {
      counter.add(0, topic);
    }
  }

  static PingMetrics none() {
    return new PingMetrics(MeterProvider.noop().get("none"), "");
  }

  private static LongCounter counter(Meter meter, String name, String description) {
    return meter.counterBuilder(name).setUnit("{ping}").setDescription(description).build();
  }

  private volatile PartitionCanary canary;

  /**
   * With --every-partition: the ping's partition and that partition's leader as attributes ({@code
   * messaging.destination.partition.id}, {@code kafkaping.leader.id}).
   */
  void perPartition(PartitionCanary canary) {
    this.canary = canary;
  }

  private Attributes of(int sequence) {
    PartitionCanary partitions = canary;
    if (partitions == null) {
      return topic;
    }
    int partition = partitions.partitionOf(sequence);
    AttributesBuilder builder =
        topic.toBuilder().put(MessagingAttributes.PARTITION, Integer.toString(partition));
    partitions.leaderOf(partition).ifPresent(leader -> builder.put(LEADER, (long) leader));
    return builder.build();
  }

  void sent(int sequence) {
    sent.add(1, of(sequence));
  }

  /**
   * The producer's verdict on a ping: messaging.client.sent.messages and the send's duration, from
   * the hand-over to the producer to the broker's acknowledgement (or the error).
   */
  void sendEnded(TracedSend.Result result) {
    Optional<String> error =
        switch (result) {
          case TracedSend.Result.Sent sent -> Optional.empty();
          case TracedSend.Result.NotSent notSent ->
              Optional.of(notSent.error().getClass().getName());
        };
    messaging.sent(pingTopic, result.took(), error);
  }

  void answered(RoundTrip.Answered pong) {
    Attributes attributes = of(pong.sequence());
    answered.add(1, attributes);
    roundTrip.record(pong.millis() / 1000, attributes);
  }

  void lost(int sequence) {
    lost.add(1, of(sequence));
  }

  void duplicated(int sequence) {
    duplicated.add(1, of(sequence));
  }
}

package dev.kafkaping.server;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.kafkaping.metrics.MessagingMetrics;
import dev.kafkaping.tracing.MessagingAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's numbers as OpenTelemetry instruments: the status line's counts, read when the
 * exporter collects, and the durations it cannot show (the Pong machine's run, commits).
 */
final class ServerMetrics {
  static final AttributeKey<String> REASON = stringKey("kafkaping.reason");

  private final Meter meter;
  private final MessagingMetrics messaging;
  private final String pingTopic;
  private final String group;
  private final Attributes server;
  private final DoubleHistogram commitDuration;
  private final LongCounter commitsFailed;

  ServerMetrics(Meter meter, String pingTopic, String group) {
    this.meter = meter;
    this.messaging = new MessagingMetrics(meter);
    this.pingTopic = pingTopic;
    this.group = group;
    this.server =
        Attributes.of(
            MessagingAttributes.DESTINATION, pingTopic, MessagingAttributes.CONSUMER_GROUP, group);
    this.commitDuration =
        meter
            .histogramBuilder("kafkaping.pong.commit.duration")
            .setUnit("s")
            .setDescription("Offset commits of answered pings, successful or not")
            .setExplicitBucketBoundariesAdvice(MessagingMetrics.DURATION_BUCKETS)
            .build();
    this.commitsFailed =
        meter
            .counterBuilder("kafkaping.pong.commits.failed")
            .setUnit("{commit}")
            .setDescription("Offset commits the group coordinator did not take")
            .build();
  }

  /** Instruments that record nothing: for tests of other things. */
  static ServerMetrics none() {
    return new ServerMetrics(MeterProvider.noop().get("none"), "", "");
  }

  /** Publishes the counts kept in {@code stats}, and how many partitions the server owns. */
  void observe(ServerStats stats, IntSupplier partitionsOwned) {
    messaging.consumedFrom(pingTopic, group, stats::receivedCount);
    counter("kafkaping.pong.pings.received", "{ping}", "Pings polled", stats::receivedCount);
    counter("kafkaping.pong.pongs.sent", "{pong}", "Pongs the broker took", stats::answeredCount);
    counter(
        "kafkaping.pong.failed_attempts",
        "{attempt}",
        "Attempts to answer a ping that failed and were retried",
        stats::failureCount);
    meter
        .counterBuilder("kafkaping.pong.dead_lettered")
        .setUnit("{record}")
        .setDescription("Records copied to the dead-letter topic, by reason")
        .buildWithCallback(
            measurement ->
                stats
                    .deadLetteredByReason()
                    .forEach(
                        (reason, count) ->
                            measurement.record(
                                count, server.toBuilder().put(REASON, reason).build())));
    meter
        .upDownCounterBuilder("kafkaping.pong.in_flight")
        .setUnit("{ping}")
        .setDescription("Pings being answered now")
        .buildWithCallback(measurement -> measurement.record(stats.inFlight(), server));
    meter
        .upDownCounterBuilder("kafkaping.pong.partitions.owned")
        .setUnit("{partition}")
        .setDescription("Partitions of the ping topic this server answers for")
        .buildWithCallback(measurement -> measurement.record(partitionsOwned.getAsInt(), server));
  }

  private void counter(String name, String unit, String description, LongSupplier count) {
    meter
        .counterBuilder(name)
        .setUnit(unit)
        .setDescription(description)
        .buildWithCallback(measurement -> measurement.record(count.getAsLong(), server));
  }

  /** A record the broker took on {@code topic}: a pong, a reply, or a dead-letter copy. */
  void sent(String topic) {
    messaging.sent(topic, Optional.empty());
  }

  /** A ping's Pong machine ended, after {@code took}; {@code error} says how when not answered. */
  void processed(Duration took, Optional<String> error) {
    messaging.processed(pingTopic, group, took, error);
  }

  void committed(Duration took, boolean succeeded) {
    commitDuration.record(MessagingMetrics.seconds(took), server);
    if (!succeeded) {
      commitsFailed.add(1, server);
    }
  }
}

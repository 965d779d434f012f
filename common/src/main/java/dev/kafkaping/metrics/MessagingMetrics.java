package dev.kafkaping.metrics;

import static dev.kafkaping.tracing.MessagingAttributes.CONSUMER_GROUP;
import static dev.kafkaping.tracing.MessagingAttributes.DESTINATION;
import static dev.kafkaping.tracing.MessagingAttributes.ERROR_TYPE;
import static dev.kafkaping.tracing.MessagingAttributes.KAFKA;
import static dev.kafkaping.tracing.MessagingAttributes.OPERATION_NAME;
import static dev.kafkaping.tracing.MessagingAttributes.OPERATION_TYPE;
import static dev.kafkaping.tracing.MessagingAttributes.SYSTEM;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The messaging metrics of the OpenTelemetry semantic conventions, version 1.37.0 (status
 * Development): names, units, required attributes and advised buckets as that version gives them.
 */
public final class MessagingMetrics {
  public static final String SEMCONV_VERSION = "1.37.0";

  /** The semantic conventions' advice for messaging durations, in seconds. */
  public static final List<Double> DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private final Meter meter;
  private final DoubleHistogram operationDuration;
  private final LongCounter sent;
  private final DoubleHistogram processDuration;
  private static final int MAX_TOPICS_CACHED = 64;
  // A message that went well carries the same attributes as the one before: built once per topic
  // (and group), not once per message.
  private final Map<String, Attributes> sendsTo = new ConcurrentHashMap<>();
  private final Map<List<String>, Attributes> processedFrom = new ConcurrentHashMap<>();

  public MessagingMetrics(Meter meter) {
    this.meter = meter;
    this.operationDuration =
        meter
            .histogramBuilder("messaging.client.operation.duration")
            .setUnit("s")
            .setDescription("Duration of a messaging operation initiated by a producer or consumer")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.sent =
        meter
            .counterBuilder("messaging.client.sent.messages")
            .setUnit("{message}")
            .setDescription("Number of messages producer attempted to send to the broker")
            .build();
    this.processDuration =
        meter
            .histogramBuilder("messaging.process.duration")
            .setUnit("s")
            .setDescription("Duration of processing operation")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
  }

  /** A send to {@code topic} that ended after {@code took}: empty {@code error} when it worked. */
  public void sent(String topic, Duration took, Optional<String> error) {
    Attributes attributes = sendTo(topic, error);
    sent.add(1, attributes);
    operationDuration.record(seconds(took), attributes);
  }

  /** A send to {@code topic} whose duration is part of something else's (a processing run). */
  public void sent(String topic, Optional<String> error) {
    sent.add(1, sendTo(topic, error));
  }

  /** One message's processing, from its consumption to its outcome. */
  public void processed(String topic, String group, Duration took, Optional<String> error) {
    Attributes attributes =
        error.isEmpty()
            ? processedFrom.computeIfAbsent(
                Arrays.asList(topic, group), key -> processing(topic, group).build())
            : withError(processing(topic, group), error.get());
    processDuration.record(seconds(took), attributes);
  }

  private Attributes sendTo(String topic, Optional<String> error) {
    if (error.isPresent()) {
      return withError(operation("send", "send", topic), error.get());
    }
    Attributes cached = sendsTo.get(topic);
    if (cached != null) {
      return cached;
    }
    Attributes built = operation("send", "send", topic).build();
    // Reply topics are the clients' choice: past a few, they are not worth remembering.
    if (sendsTo.size() < MAX_TOPICS_CACHED) {
      sendsTo.put(topic, built);
    }
    return built;
  }

  private static AttributesBuilder processing(String topic, String group) {
    return operation("process", "process", topic).put(CONSUMER_GROUP, group);
  }

  /**
   * messaging.client.consumed.messages, read from a count kept elsewhere (a consumer counts what it
   * polled anyway). {@code group} may be null for a consumer outside any group.
   */
  public void consumedFrom(String topic, String group, LongSupplier count) {
    AttributesBuilder builder = operation("poll", "receive", topic);
    if (group != null) {
      builder.put(CONSUMER_GROUP, group);
    }
    Attributes attributes = builder.build();
    meter
        .counterBuilder("messaging.client.consumed.messages")
        .setUnit("{message}")
        .setDescription("Number of messages that were delivered to the application")
        .buildWithCallback(measurement -> measurement.record(count.getAsLong(), attributes));
  }

  private static AttributesBuilder operation(String name, String type, String topic) {
    return Attributes.builder()
        .put(SYSTEM, KAFKA)
        .put(OPERATION_NAME, name)
        .put(OPERATION_TYPE, type)
        .put(DESTINATION, topic);
  }

  private static Attributes withError(AttributesBuilder builder, String errorType) {
    return builder.put(ERROR_TYPE, errorType).build();
  }

  public static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}

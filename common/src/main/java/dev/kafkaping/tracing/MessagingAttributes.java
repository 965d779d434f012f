package dev.kafkaping.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** OpenTelemetry messaging semantic-convention attribute keys used on our spans and metrics. */
public final class MessagingAttributes {
  public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  public static final AttributeKey<String> OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  public static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  public static final AttributeKey<String> MESSAGE_KEY =
      AttributeKey.stringKey("messaging.kafka.message.key");
  public static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  public static final AttributeKey<String> CONSUMER_GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("ping.session_id");

  public static final String KAFKA = "kafka";

  private MessagingAttributes() {}
}

package dev.kafkaping.tracing;

import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Writes propagation fields into Kafka record headers, replacing any earlier value. */
public enum KafkaHeadersSetter implements TextMapSetter<Headers> {
  INSTANCE;

  @Override
  public void set(Headers headers, String key, String value) {
    if (headers != null) {
      headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}

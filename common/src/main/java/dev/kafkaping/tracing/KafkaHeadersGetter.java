package dev.kafkaping.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads propagation fields from Kafka record headers (the last value of a key wins). */
public enum KafkaHeadersGetter implements TextMapGetter<Headers> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Headers headers) {
    List<String> keys = new ArrayList<>();
    for (Header header : headers) {
      keys.add(header.key());
    }
    return keys;
  }

  @Override
  public String get(Headers headers, String key) {
    if (headers == null) {
      return null;
    }
    Header header = headers.lastHeader(key);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}

package dev.kafkaping.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;

/** Reads propagation fields from the JSON {@code context} map of a ping. */
public enum MapGetter implements TextMapGetter<Map<String, String>> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Map<String, String> carrier) {
    return carrier.keySet();
  }

  @Override
  public String get(Map<String, String> carrier, String key) {
    return carrier == null ? null : carrier.get(key);
  }
}

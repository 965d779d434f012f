package dev.kafkaping.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes and decodes the JSON wire format. Decoding walks a bounded JSON tree by hand so that
 * every rejection names the field and the problem instead of surfacing a Jackson stack trace.
 */
public final class WireCodec {
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  public static final int MAX_NESTING_DEPTH = 16;
  public static final int MAX_CONTEXT_ENTRIES = 64;
  private static final int MAX_STRING_LENGTH = 8 * 1024;

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              new com.fasterxml.jackson.core.JsonFactoryBuilder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(64)
                          .maxDocumentLength(MAX_VALUE_BYTES)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private WireCodec() {}

  public static byte[] encodePing(PingEnvelope envelope) {
    return write(envelope);
  }

  public static byte[] encodePong(Pong pong) {
    return write(pong);
  }

  public static PingEnvelope decodePing(byte[] value) throws MalformedMessageException {
    JsonNode root = readObject(value);
    Map<String, String> context = readContext(root.get("context"));
    JsonNode body = root.get("body");
    if (body == null || body.isNull()) {
      throw new MalformedMessageException("missing field 'body'");
    }
    if (!body.isObject()) {
      throw new MalformedMessageException("field 'body' must be an object, got " + kind(body));
    }
    return new PingEnvelope(context, new Ping(readSessionId(body, "body.session_id")));
  }

  public static Pong decodePong(byte[] value) throws MalformedMessageException {
    return new Pong(readSessionId(readObject(value), "session_id"));
  }

  private static byte[] write(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message, e);
    }
  }

  private static JsonNode readObject(byte[] value) throws MalformedMessageException {
    if (value == null) {
      throw new MalformedMessageException("null value");
    }
    if (value.length == 0) {
      throw new MalformedMessageException("empty value");
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw new MalformedMessageException(
          "value too large: " + value.length + " bytes (limit " + MAX_VALUE_BYTES + ")");
    }
    requireUtf8(value);
    JsonNode root;
    try {
      root = MAPPER.readTree(value);
    } catch (StreamConstraintsException e) {
      throw new MalformedMessageException(
          "JSON exceeds limits: " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MalformedMessageException("unreadable value: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedMessageException("no JSON value");
    }
    if (!root.isObject()) {
      throw new MalformedMessageException("expected a JSON object, got " + kind(root));
    }
    return root;
  }

  private static void requireUtf8(byte[] value) throws MalformedMessageException {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value));
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException("value is not valid UTF-8");
    }
  }

  private static Map<String, String> readContext(JsonNode context)
      throws MalformedMessageException {
    if (context == null || context.isNull()) {
      return Map.of();
    }
    if (!context.isObject()) {
      throw new MalformedMessageException(
          "field 'context' must be an object, got " + kind(context));
    }
    if (context.size() > MAX_CONTEXT_ENTRIES) {
      throw new MalformedMessageException(
          "field 'context' has " + context.size() + " entries (limit " + MAX_CONTEXT_ENTRIES + ")");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : context.properties()) {
      if (!field.getValue().isTextual()) {
        throw new MalformedMessageException(
            "field 'context."
                + field.getKey()
                + "' must be a string, got "
                + kind(field.getValue()));
      }
      fields.put(field.getKey(), field.getValue().textValue());
    }
    return fields;
  }

  private static UUID readSessionId(JsonNode parent, String path) throws MalformedMessageException {
    JsonNode node = parent.get("session_id");
    if (node == null || node.isNull()) {
      throw new MalformedMessageException("missing field '" + path + "'");
    }
    if (!node.isTextual()) {
      throw new MalformedMessageException(
          "field '" + path + "' must be a string, got " + kind(node));
    }
    return parseUuid(node.textValue(), path);
  }

  private static UUID parseUuid(String text, String path) throws MalformedMessageException {
    try {
      // UUID.fromString accepts short groups such as "1-2-3-4-5"; insist on the canonical form.
      UUID uuid = UUID.fromString(text);
      if (text.length() == 36 && uuid.toString().equalsIgnoreCase(text)) {
        return uuid;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw new MalformedMessageException("field '" + path + "' is not a UUID: " + abbreviate(text));
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String abbreviate(String text) {
    String quoted = '"' + text + '"';
    return quoted.length() <= 48 ? quoted : quoted.substring(0, 45) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

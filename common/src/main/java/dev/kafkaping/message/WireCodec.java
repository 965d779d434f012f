package dev.kafkaping.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes and decodes the JSON wire format with Jackson's streaming API: every rejection names the
 * field and the problem instead of surfacing a Jackson stack trace, the work a hostile record can
 * cause is bounded (size, nesting, string and number length), and a single-shot client does not pay
 * for initialising a databind mapper.
 */
public final class WireCodec {
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  public static final int MAX_NESTING_DEPTH = 16;
  public static final int MAX_CONTEXT_ENTRIES = 64;

  /** Bounds every string and field name, in UTF-16 chars as Jackson counts them. */
  public static final int MAX_STRING_CHARS = 8 * 1024;

  /** Bounds every number's digits; Jackson counts neither the sign nor the decimal point. */
  public static final int MAX_NUMBER_DIGITS = 64;

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxStringLength(MAX_STRING_CHARS)
                  .maxNameLength(MAX_STRING_CHARS)
                  .maxNumberLength(MAX_NUMBER_DIGITS)
                  .maxDocumentLength(MAX_VALUE_BYTES)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // The default pool is thread-local: every ping's fresh virtual thread allocated new
          // buffers (11% of the server's CPU samples while draining a backlog). A shared pool
          // reuses them.
          .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
          .build();

  private WireCodec() {}

  public static byte[] encodePing(PingEnvelope envelope) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeObjectFieldStart("context");
          for (Map.Entry<String, String> field : envelope.context().entrySet()) {
            json.writeStringField(field.getKey(), field.getValue());
          }
          json.writeEndObject();
          json.writeObjectFieldStart("body");
          json.writeStringField("session_id", envelope.body().sessionId().toString());
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  public static byte[] encodePong(Pong pong) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeStringField("session_id", pong.sessionId().toString());
          json.writeEndObject();
        });
  }

  public static PingEnvelope decodePing(byte[] value) throws MalformedMessageException {
    return read(
        value,
        json -> {
          Map<String, String> context = Map.of();
          UUID sessionId = null;
          boolean sawBody = false;
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken token = json.nextToken();
            switch (field) {
              case "context" -> context = readContext(json, token);
              case "body" -> {
                if (token == JsonToken.VALUE_NULL) {
                  continue;
                }
                if (token != JsonToken.START_OBJECT) {
                  throw new MalformedMessageException(
                      "field 'body' must be an object, got " + kind(token));
                }
                sawBody = true;
                sessionId = readSessionIdFields(json, "body.session_id");
              }
              default -> skipValue(json);
            }
          }
          if (!sawBody) {
            throw new MalformedMessageException("missing field 'body'");
          }
          return new PingEnvelope(context, new Ping(sessionId));
        });
  }

  public static Pong decodePong(byte[] value) throws MalformedMessageException {
    return read(value, json -> new Pong(readSessionIdFields(json, "session_id")));
  }

  @FunctionalInterface
  private interface Writer {
    void write(JsonGenerator json) throws IOException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    /** Reads the fields of the top-level object; the parser is positioned after its '{'. */
    T read(JsonParser json) throws IOException, MalformedMessageException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      writer.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a message", e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] value, Reader<T> reader) throws MalformedMessageException {
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
    CharBuffer text = decodeUtf8(value);
    // RFC 8259 lets a parser ignore a UTF-8 byte order mark; skipping it keeps accepting what
    // Jackson's byte parser accepted before the codec decoded the bytes itself.
    if (text.hasRemaining() && text.get(text.position()) == BYTE_ORDER_MARK) {
      text.get();
    }
    // Parsing the decoded chars, not the bytes, stops Jackson from guessing UTF-16 or UTF-32.
    try (JsonParser json =
        JSON.createParser(text.array(), text.arrayOffset() + text.position(), text.remaining())) {
      JsonToken first = json.nextToken();
      if (first == null) {
        throw new MalformedMessageException("no JSON value");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedMessageException("expected a JSON object, got " + kind(first));
      }
      T message = reader.read(json);
      if (json.nextToken() != null) {
        throw new MalformedMessageException("not valid JSON: trailing content after the object");
      }
      return message;
    } catch (StreamConstraintsException e) {
      throw new MalformedMessageException(
          "JSON exceeds limits: " + withoutJacksonSource(firstLine(e.getOriginalMessage())));
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MalformedMessageException("unreadable value: " + e.getMessage());
    }
  }

  /**
   * Decodes strict UTF-8 (RFC 8259: JSON between systems is UTF-8) and reports the first offending
   * byte. A NUL byte is legal UTF-8 but never legal, unescaped, in JSON text, so it marks UTF-16 or
   * UTF-32 text: a UTF-16LE ping is otherwise valid UTF-8.
   */
  private static CharBuffer decodeUtf8(byte[] value) throws MalformedMessageException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(value);
    // UTF-8 never decodes to more chars than it has bytes, so the buffer cannot overflow.
    CharBuffer out = CharBuffer.allocate(value.length);
    boolean invalid = decoder.decode(in, out, true).isError() || decoder.flush(out).isError();
    int end = invalid ? in.position() : value.length;
    for (int i = 0; i < end; i++) {
      if (value[i] == 0) {
        throw new MalformedMessageException(
            "not UTF-8: NUL byte at offset " + i + " (UTF-16 or UTF-32 text?)");
      }
    }
    if (invalid) {
      throw new MalformedMessageException("not UTF-8: invalid byte sequence at offset " + end);
    }
    return out.flip();
  }

  /**
   * Skips the value at the current token. Unlike {@link JsonParser#skipChildren()}, it reads every
   * string, because Jackson checks a string's length only when it reads its text; depth and number
   * length are checked as the tokens go by.
   */
  private static void skipValue(JsonParser json) throws IOException {
    int depth = 0;
    JsonToken token = json.currentToken();
    do {
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_STRING -> json.getText();
        default -> {}
      }
    } while (depth > 0 && (token = json.nextToken()) != null);
  }

  private static Map<String, String> readContext(JsonParser json, JsonToken token)
      throws IOException, MalformedMessageException {
    if (token == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (token != JsonToken.START_OBJECT) {
      throw new MalformedMessageException("field 'context' must be an object, got " + kind(token));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String key = json.currentName();
      JsonToken value = json.nextToken();
      if (value != JsonToken.VALUE_STRING) {
        throw new MalformedMessageException(
            "field 'context." + key + "' must be a string, got " + kind(value));
      }
      if (fields.size() == MAX_CONTEXT_ENTRIES) {
        throw new MalformedMessageException(
            "field 'context' has more than " + MAX_CONTEXT_ENTRIES + " entries");
      }
      fields.put(key, json.getText());
    }
    return fields;
  }

  /** Reads an object's fields (after its '{') up to its '}' and returns its session id. */
  private static UUID readSessionIdFields(JsonParser json, String path)
      throws IOException, MalformedMessageException {
    UUID sessionId = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      if (!field.equals("session_id")) {
        skipValue(json);
        continue;
      }
      if (token == JsonToken.VALUE_NULL) {
        continue;
      }
      if (token != JsonToken.VALUE_STRING) {
        throw new MalformedMessageException(
            "field '" + path + "' must be a string, got " + kind(token));
      }
      sessionId = Uuids.parseCanonical(json.getText(), path);
    }
    if (sessionId == null) {
      throw new MalformedMessageException("missing field '" + path + "'");
    }
    return sessionId;
  }

  private static String kind(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> token.name().toLowerCase(Locale.ROOT);
    };
  }

  /** Drops Jackson's pointer to its own API, such as "from `StreamReadConstraints...`". */
  private static String withoutJacksonSource(String message) {
    return message.replaceAll(", from `[^`]*`\\)", ")");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

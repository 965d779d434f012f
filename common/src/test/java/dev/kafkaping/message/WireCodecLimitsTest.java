package dev.kafkaping.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bound of the codec exactly at its limit (accepted) and one past it (rejected). */
class WireCodecLimitsTest {
  private static final UUID SESSION = UUID.fromString("0ff45015-5f3e-4a71-a0c1-4b0b1f4f0f3a");
  private static final String BODY = "\"body\":{\"session_id\":\"" + SESSION + "\"}";
  private static final String VALID_PING = "{" + BODY + "}";
  private static final int DEPTH = WireCodec.MAX_NESTING_DEPTH;
  private static final int STRING = WireCodec.MAX_STRING_CHARS;
  private static final int DIGITS = WireCodec.MAX_NUMBER_DIGITS;
  private static final String TOO_DEEP =
      "JSON exceeds limits: Document nesting depth (17) exceeds the maximum allowed (16)";
  private static final String STRING_TOO_LONG =
      "JSON exceeds limits: String value length (8193) exceeds the maximum allowed (8192)";
  private static final String NUMBER_TOO_LONG =
      "JSON exceeds limits: Number value length (65) exceeds the maximum allowed (64)";

  static Stream<Arguments> pingsAtTheLimits() {
    return Stream.of(
        Arguments.of("depth 16 in an unknown field", withExtra(arrays(DEPTH - 1))),
        Arguments.of("depth 16 in an unknown body field", withBodyExtra(objects(DEPTH - 2))),
        Arguments.of("64 context entries", utf8("{" + context(64) + "," + BODY + "}")),
        Arguments.of("8 KiB context value", withContextValue("x".repeat(STRING))),
        Arguments.of("8 KiB string in an unknown field", withExtra(quoted("x".repeat(STRING)))),
        Arguments.of("8 Ki non-ASCII chars (16 KiB)", withExtra(quoted("é".repeat(STRING)))),
        Arguments.of("8 KiB string deep in an unknown field", withExtra(nestedString(STRING))),
        Arguments.of(
            "8 KiB string in an unknown body field", withBodyExtra(quoted("x".repeat(STRING)))),
        Arguments.of("8 KiB unknown field name", withName("k".repeat(STRING))),
        Arguments.of("64 digits in an unknown field", withExtra("9".repeat(DIGITS))),
        Arguments.of("64 digits and a sign", withExtra("-" + "9".repeat(DIGITS))),
        Arguments.of("64 digits in an unknown body field", withBodyExtra("9".repeat(DIGITS))),
        Arguments.of("64 digits around a point", withExtra("[" + fraction(32, 32) + "]")),
        Arguments.of("64 KiB in total", padded(WireCodec.MAX_VALUE_BYTES)),
        Arguments.of("UTF-8 byte order mark", bom(utf8(VALID_PING))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pingsAtTheLimits")
  void shouldAcceptThePingWhenItIsExactlyAtALimit(String kind, byte[] value) throws Exception {
    assertThat(WireCodec.decodePing(value).body().sessionId()).isEqualTo(SESSION);
  }

  static Stream<Arguments> pingsPastTheLimits() {
    return Stream.of(
        Arguments.of("depth 17 in an unknown field", withExtra(arrays(DEPTH)), TOO_DEEP),
        Arguments.of(
            "depth 17 in an unknown body field", withBodyExtra(objects(DEPTH - 1)), TOO_DEEP),
        Arguments.of(
            "65 context entries",
            utf8("{" + context(65) + "," + BODY + "}"),
            "field 'context' has more than 64 entries"),
        Arguments.of(
            "8 KiB + 1 context value", withContextValue("x".repeat(STRING + 1)), STRING_TOO_LONG),
        Arguments.of(
            "8 KiB + 1 string in an unknown field",
            withExtra(quoted("x".repeat(STRING + 1))),
            STRING_TOO_LONG),
        Arguments.of(
            "8 KiB + 1 string deep in an unknown field",
            withExtra(nestedString(STRING + 1)),
            STRING_TOO_LONG),
        Arguments.of(
            "8 KiB + 1 string in an unknown body field",
            withBodyExtra(quoted("x".repeat(STRING + 1))),
            STRING_TOO_LONG),
        Arguments.of(
            "8 KiB + 1 unknown field name",
            withName("k".repeat(STRING + 1)),
            "JSON exceeds limits: Name length (8193) exceeds the maximum allowed (8192)"),
        Arguments.of(
            "65 digits in an unknown field", withExtra("9".repeat(DIGITS + 1)), NUMBER_TOO_LONG),
        Arguments.of(
            "65 digits in an unknown body field",
            withBodyExtra("9".repeat(DIGITS + 1)),
            NUMBER_TOO_LONG),
        Arguments.of(
            "65 digits around a point", withExtra("[" + fraction(32, 33) + "]"), NUMBER_TOO_LONG),
        Arguments.of(
            "64 KiB + 1 in total",
            padded(WireCodec.MAX_VALUE_BYTES + 1),
            "value too large: 65537 bytes (limit 65536)"),
        Arguments.of(
            "UTF-16LE",
            encoded(StandardCharsets.UTF_16LE),
            "not UTF-8: NUL byte at offset 1 (UTF-16 or UTF-32 text?)"),
        Arguments.of(
            "UTF-16BE",
            encoded(StandardCharsets.UTF_16BE),
            "not UTF-8: NUL byte at offset 0 (UTF-16 or UTF-32 text?)"),
        Arguments.of(
            "UTF-16 with a byte order mark",
            encoded(StandardCharsets.UTF_16),
            "not UTF-8: invalid byte sequence at offset 0"),
        Arguments.of(
            "UTF-32LE",
            encoded(Charset.forName("UTF-32LE")),
            "not UTF-8: NUL byte at offset 1 (UTF-16 or UTF-32 text?)"),
        Arguments.of(
            "invalid UTF-8 after valid text",
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0xA9, (byte) 0xC3, (byte) 0x28, '"'},
            "not UTF-8: invalid byte sequence at offset 4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pingsPastTheLimits")
  void shouldRejectThePingWithTheLimitWhenItIsOnePastALimit(
      String kind, byte[] value, String reason) {
    assertThatThrownBy(() -> WireCodec.decodePing(value))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(reason);
  }

  @Test
  void shouldKeepEveryContextEntryWhenThereAreExactly64AndOneHolds8KiB() throws Exception {
    String json = "{" + context(63) + "," + BODY + "}";
    String withBig =
        json.replace("{\"key0\"", "{\"big\":" + quoted("x".repeat(STRING)) + ",\"key0\"");

    PingEnvelope envelope = WireCodec.decodePing(utf8(withBig));

    assertThat(envelope.context()).hasSize(WireCodec.MAX_CONTEXT_ENTRIES);
    assertThat(envelope.context().get("big")).hasSize(STRING);
    assertThat(envelope.context()).containsEntry("key62", "value");
  }

  @Test
  void shouldRejectAPongWhenAnUnknownFieldHoldsAStringPastTheLimit() throws Exception {
    String pong = "{\"session_id\":\"" + SESSION + "\",\"extra\":%s}";

    assertThat(WireCodec.decodePong(utf8(pong.formatted(quoted("x".repeat(STRING))))).sessionId())
        .isEqualTo(SESSION);
    assertThatThrownBy(
            () -> WireCodec.decodePong(utf8(pong.formatted(quoted("x".repeat(STRING + 1))))))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(STRING_TOO_LONG);
  }

  private static byte[] withExtra(String json) {
    return utf8("{\"extra\":" + json + "," + BODY + "}");
  }

  private static byte[] withBodyExtra(String json) {
    return utf8("{\"body\":{\"extra\":" + json + ",\"session_id\":\"" + SESSION + "\"}}");
  }

  private static byte[] withContextValue(String value) {
    return utf8("{\"context\":{\"traceparent\":" + quoted(value) + "}," + BODY + "}");
  }

  private static byte[] withName(String name) {
    return utf8("{" + quoted(name) + ":1," + BODY + "}");
  }

  /** Arrays nested {@code levels} deep, each level also holding a number and a string. */
  private static String arrays(int levels) {
    return "[1,\"a\",".repeat(levels - 1) + "[]" + "]".repeat(levels - 1);
  }

  /** Objects nested {@code levels} deep. */
  private static String objects(int levels) {
    return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
  }

  private static String nestedString(int length) {
    return "{\"a\":[true,{\"b\":" + quoted("x".repeat(length)) + "}]}";
  }

  private static String context(int entries) {
    StringJoiner fields = new StringJoiner(",", "\"context\":{", "}");
    for (int i = 0; i < entries; i++) {
      fields.add("\"key" + i + "\":\"value\"");
    }
    return fields.toString();
  }

  private static String fraction(int integerDigits, int fractionDigits) {
    return "1".repeat(integerDigits) + "." + "1".repeat(fractionDigits);
  }

  private static String quoted(String text) {
    return '"' + text + '"';
  }

  /** A valid ping padded with trailing whitespace to exactly {@code length} bytes. */
  private static byte[] padded(int length) {
    return utf8(VALID_PING + " ".repeat(length - VALID_PING.length()));
  }

  private static byte[] encoded(Charset charset) {
    return VALID_PING.getBytes(charset);
  }

  private static byte[] bom(byte[] value) {
    byte[] withBom = new byte[value.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(value, 0, withBom, 3, value.length);
    return withBom;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

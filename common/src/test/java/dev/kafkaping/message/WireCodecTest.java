package dev.kafkaping.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WireCodecTest {
  private static final UUID SESSION = UUID.fromString("0ff45015-5f3e-4a71-a0c1-4b0b1f4f0f3a");
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String ORIGINAL_PING =
      "{\"context\":{\"traceparent\":\""
          + TRACEPARENT
          + "\"},\"body\":{\"session_id\":\"0ff45015-5f3e-4a71-a0c1-4b0b1f4f0f3a\"}}";
  private static final String ORIGINAL_PONG =
      "{\"session_id\":\"0ff45015-5f3e-4a71-a0c1-4b0b1f4f0f3a\"}";

  @Test
  void shouldDecodeTheOriginalPingWhenGivenItsExactJson() throws Exception {
    PingEnvelope envelope = WireCodec.decodePing(utf8(ORIGINAL_PING));

    assertThat(envelope.body().sessionId()).isEqualTo(SESSION);
    assertThat(envelope.context()).containsExactly(Map.entry("traceparent", TRACEPARENT));
  }

  @Test
  void shouldEncodeTheOriginalJsonWhenGivenAPing() {
    PingEnvelope envelope = new PingEnvelope(Map.of("traceparent", TRACEPARENT), new Ping(SESSION));

    assertThat(new String(WireCodec.encodePing(envelope), StandardCharsets.UTF_8))
        .isEqualTo(ORIGINAL_PING);
  }

  @Test
  void shouldRoundTripTheOriginalPongWhenGivenItsExactJson() throws Exception {
    Pong pong = WireCodec.decodePong(utf8(ORIGINAL_PONG));

    assertThat(pong.sessionId()).isEqualTo(SESSION);
    assertThat(new String(WireCodec.encodePong(pong), StandardCharsets.UTF_8))
        .isEqualTo(ORIGINAL_PONG);
  }

  @Test
  void shouldAcceptAPingWhenContextIsMissingEmptyOrNullAndUnknownFieldsArePresent()
      throws Exception {
    String body = "\"body\":{\"session_id\":\"" + SESSION + "\",\"extra\":[1,2]}";
    for (String json :
        new String[] {
          "{" + body + "}",
          "{\"context\":{}," + body + "}",
          "{\"context\":null," + body + ",\"version\":2}"
        }) {
      PingEnvelope envelope = WireCodec.decodePing(utf8(json));
      assertThat(envelope.body().sessionId()).as(json).isEqualTo(SESSION);
      assertThat(envelope.context()).as(json).isEmpty();
    }
  }

  static Stream<Arguments> malformedPings() {
    String valid = "{\"body\":{\"session_id\":\"" + SESSION + "\"}}";
    return Stream.of(
        Arguments.of("null value", null, "null value"),
        Arguments.of("empty", new byte[0], "empty value"),
        Arguments.of("not JSON", utf8("hello"), "not valid JSON"),
        Arguments.of("truncated", utf8(valid.substring(0, 20)), "not valid JSON"),
        Arguments.of("trailing garbage", utf8(valid + " x"), "not valid JSON"),
        Arguments.of("array", utf8("[1,2]"), "expected a JSON object, got array"),
        Arguments.of("number", utf8("42"), "expected a JSON object, got number"),
        Arguments.of("string", utf8("\"ping\""), "expected a JSON object, got string"),
        Arguments.of("missing body", utf8("{\"context\":{}}"), "missing field 'body'"),
        Arguments.of("body not object", utf8("{\"body\":\"x\"}"), "field 'body' must be an object"),
        Arguments.of("missing session", utf8("{\"body\":{}}"), "missing field 'body.session_id'"),
        Arguments.of("null session", utf8("{\"body\":{\"session_id\":null}}"), "missing field"),
        Arguments.of(
            "numeric session",
            utf8("{\"body\":{\"session_id\":42}}"),
            "must be a string, got number"),
        Arguments.of("empty session", utf8("{\"body\":{\"session_id\":\"\"}}"), "is not a UUID"),
        Arguments.of("not a uuid", utf8("{\"body\":{\"session_id\":\"abc\"}}"), "is not a UUID"),
        Arguments.of(
            "short uuid", utf8("{\"body\":{\"session_id\":\"1-2-3-4-5\"}}"), "is not a UUID"),
        Arguments.of(
            "context array",
            utf8("{\"context\":[],\"body\":{}}"),
            "field 'context' must be an object"),
        Arguments.of(
            "context value number",
            utf8("{\"context\":{\"traceparent\":1},\"body\":{\"session_id\":\"" + SESSION + "\"}}"),
            "field 'context.traceparent' must be a string"),
        Arguments.of(
            "duplicate keys",
            utf8(
                "{\"body\":{\"session_id\":\""
                    + SESSION
                    + "\",\"session_id\":\""
                    + SESSION
                    + "\"}}"),
            "not valid JSON"),
        Arguments.of(
            "invalid utf-8",
            new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'},
            "not UTF-8: invalid byte sequence at offset 1"),
        Arguments.of("oversized", new byte[WireCodec.MAX_VALUE_BYTES + 1], "value too large"),
        Arguments.of(
            "deep nesting", utf8("[".repeat(100_000) + "]".repeat(100_000)), "value too large"),
        Arguments.of(
            "nesting over the limit",
            utf8("{\"extra\":" + "[".repeat(200) + "]".repeat(200) + ",\"body\":{}}"),
            "JSON exceeds limits"),
        Arguments.of(
            "huge number",
            utf8("{\"body\":{\"session_id\":" + "9".repeat(5000) + "}}"),
            "JSON exceeds limits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPings")
  void shouldRejectWithAReasonWhenThePingIsMalformed(String kind, byte[] value, String reason) {
    assertThatThrownBy(() -> WireCodec.decodePing(value))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(reason)
        .hasMessageNotContaining("com.fasterxml");
  }

  @Test
  void shouldRejectAPongWhenItsSessionIdIsMissing() {
    assertThatThrownBy(() -> WireCodec.decodePong(utf8("{\"session\":\"x\"}")))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("missing field 'session_id'");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

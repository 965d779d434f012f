package dev.kafkaping.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.Ping;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.message.WireFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
  private static final UUID SESSION = UUID.fromString("0b7d8e4a-2f6c-4b1e-9a53-5c1d2e3f4a5b");

  private final FakeRegistry registry = FakeRegistry.started();
  private final AvroCodec codec =
      new AvroCodec(new SchemaRegistryClient(registry.connection(), Duration.ofSeconds(5)));

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldRoundTripAPingWithItsContextAndAPong() throws Exception {
    int pingId = codec.registerPing("ping");
    PingEnvelope envelope =
        new PingEnvelope(Map.of("traceparent", "00-abc-def-01"), new Ping(SESSION));

    byte[] value = AvroCodec.encodePing(envelope, pingId);

    assertThat(WireFormat.of(value)).isEqualTo(WireFormat.AVRO);
    assertThat(AvroCodec.schemaId(value)).isEqualTo(pingId);
    assertThat(codec.decodePing(value)).isEqualTo(envelope);
    int pongId = codec.registerPong("pong");
    assertThat(codec.decodePong(AvroCodec.encodePong(new Pong(SESSION), pongId)))
        .isEqualTo(new Pong(SESSION));
    assertThat(WireFormat.of(WireCodec.encodePong(new Pong(SESSION)))).isEqualTo(WireFormat.JSON);
  }

  @Test
  void shouldAskTheRegistryOncePerSchemaId() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    for (int i = 0; i < 5; i++) {
      codec.decodePing(AvroCodec.encodePing(PingEnvelope.of(new Ping(SESSION)), pingId));
    }
    assertThat(registry.requests).containsExactly("GET /schemas/ids/" + pingId);
  }

  @Test
  void shouldReadANewerWritersPingAndSkipItsOptionalField() throws Exception {
    Schema newer =
        SchemaBuilder.record("Ping")
            .namespace("dev.kafkaping.avro")
            .fields()
            .name("context")
            .type()
            .map()
            .values()
            .stringType()
            .mapDefault(Map.of())
            .name("body")
            .type(AvroCodec.PING.getField("body").schema())
            .noDefault()
            .optionalLong("sent_at")
            .endRecord();
    GenericRecord body = new GenericData.Record(newer.getField("body").schema());
    body.put("session_id", SESSION.toString());
    GenericRecord ping = new GenericData.Record(newer);
    ping.put("context", Map.of());
    ping.put("body", body);
    ping.put("sent_at", 1_700_000_000_000L);

    PingEnvelope decoded = codec.decodePing(confluent(ping, registry.register(newer)));

    assertThat(decoded.body().sessionId()).isEqualTo(SESSION);
  }

  @Test
  void shouldCallAnUnknownSchemaIdMalformed() {
    assertThatThrownBy(() -> codec.decodePing(header(4242)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("unknown schema id 4242");
  }

  @Test
  void shouldCallAPongOrAnyOtherRecordNotAPing() throws Exception {
    int pongId = registry.register(AvroCodec.PONG);

    assertThatThrownBy(() -> codec.decodePing(AvroCodec.encodePong(new Pong(SESSION), pongId)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith(
            "schema id " + pongId + " (dev.kafkaping.avro.Pong) is not a Ping: ");
  }

  @Test
  void shouldCallShortTruncatedAndOverlongValuesMalformed() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    byte[] valid = AvroCodec.encodePing(PingEnvelope.of(new Ping(SESSION)), pingId);

    assertThatThrownBy(() -> codec.decodePing(new byte[] {0}))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("1 byte(s), a magic byte 0 and a 4-byte schema id take 5");
    assertThatThrownBy(() -> codec.decodePing(Arrays.copyOf(valid, valid.length - 1)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> codec.decodePing(Arrays.copyOf(valid, valid.length + 1)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> codec.decodePing(new byte[WireCodec.MAX_VALUE_BYTES + 1]))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("value too large");
  }

  @Test
  void shouldNotAllocateWhatALengthPrefixClaimsBeyondTheRecord() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    // Empty context map, then a session_id string claiming 1 GiB (zig-zag varint of 2^30).
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    value.writeBytes(header(pingId));
    value.write(0); // map: no blocks
    value.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});

    assertThatThrownBy(() -> codec.decodePing(value.toByteArray()))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("not a valid Avro record of schema id " + pingId);
  }

  @Test
  void shouldCallLengthsBeyondWhatAJavaArrayHoldsMalformed() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    byte[] twoToThe31 = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
    ByteArrayOutputStream mapCount = new ByteArrayOutputStream();
    mapCount.writeBytes(header(pingId));
    mapCount.writeBytes(twoToThe31);
    ByteArrayOutputStream stringLength = new ByteArrayOutputStream();
    stringLength.writeBytes(header(pingId));
    stringLength.write(0); // map: no blocks
    stringLength.writeBytes(twoToThe31);

    assertThatThrownBy(() -> codec.decodePing(mapCount.toByteArray()))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> codec.decodePing(stringLength.toByteArray()))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void shouldCallAWriterRecursionDeeperThanTheStackMalformed() throws Exception {
    Schema newer =
        new Schema.Parser()
            .parse(
                """
                {"type":"record","name":"Ping","namespace":"dev.kafkaping.avro","fields":[
                  {"name":"context","type":{"type":"map","values":"string"},"default":{}},
                  {"name":"body","type":{"type":"record","name":"PingBody","fields":[
                    {"name":"session_id","type":{"type":"string","logicalType":"uuid"}}]}},
                  {"name":"chain","type":["null",{"type":"record","name":"Link","fields":[
                    {"name":"next","type":["null","Link"]}]}],"default":null}]}
                """);
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    value.writeBytes(header(registry.register(newer)));
    value.write(0); // empty context
    byte[] session = SESSION.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    value.write(session.length * 2); // zig-zag length
    value.writeBytes(session);
    int depth = WireCodec.MAX_VALUE_BYTES - 100;
    for (int i = 0; i < depth; i++) {
      value.write(2); // union branch 1: one more Link
    }
    value.write(0); // union branch 0: null, the end of the chain

    assertThatThrownBy(() -> codec.decodePing(value.toByteArray()))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("nested too deeply");
  }

  @Test
  void shouldReadWithAWriterSchemaWhoseDefaultsAreInvalid() throws Exception {
    Schema lenient =
        new Schema.Parser()
            .setValidateDefaults(false)
            .parse(
                """
                {"type":"record","name":"Ping","namespace":"dev.kafkaping.avro","fields":[
                  {"name":"context","type":{"type":"map","values":"string"},"default":{}},
                  {"name":"body","type":{"type":"record","name":"PingBody","fields":[
                    {"name":"session_id","type":{"type":"string","logicalType":"uuid"}}]}},
                  {"name":"retries","type":"int","default":"oops"}]}
                """);
    GenericRecord body = new GenericData.Record(lenient.getField("body").schema());
    body.put("session_id", SESSION.toString());
    GenericRecord ping = new GenericData.Record(lenient);
    ping.put("context", Map.of());
    ping.put("body", body);
    ping.put("retries", 3);

    assertThat(codec.decodePing(confluent(ping, registry.register(lenient))).body().sessionId())
        .isEqualTo(SESSION);
  }

  @Test
  void shouldLookASchemaUpBeforeRegisteringItSoThatReadOnlyCredentialsDo() throws Exception {
    int pingId = registry.register(AvroCodec.PING);

    assertThat(codec.registerPing("ping")).isEqualTo(pingId);
    assertThat(registry.requests).containsExactly("POST /subjects/ping-value");
  }

  @Test
  void shouldSayNotAuthorizedWhenTheRegistryRefusesTheCredentials() {
    for (int status : new int[] {401, 403}) {
      registry.failWithStatus = status;

      assertThatThrownBy(() -> codec.registerPing("ping"))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageEndingWith(
              "answered HTTP "
                  + status
                  + ": not authorized (check basic.auth.credentials.source and"
                  + " basic.auth.user.info)");
    }
  }

  @Test
  void shouldRegisterWhenTheLoginMayWriteTheSubjectButNotReadIt() throws Exception {
    registry.failLookupsWithStatus = 403;

    int pingId = codec.registerPing("ping");

    assertThat(registry.requests)
        .containsExactly("POST /subjects/ping-value", "POST /subjects/ping-value/versions");
    assertThat(registry.register(AvroCodec.PING)).isEqualTo(pingId);
  }

  @Test
  void shouldTryTheNextRegistryUrlWhenOneIsUnreachable() throws Exception {
    AvroCodec failover =
        new AvroCodec(
            new SchemaRegistryClient(
                FakeRegistry.connection("http://127.0.0.1:1," + registry.url()),
                Duration.ofSeconds(2)));

    int pingId = failover.registerPing("ping");

    assertThat(registry.register(AvroCodec.PING)).isEqualTo(pingId);
  }

  @Test
  void shouldCallASchemaAvrosParserRefusesInAnyWayMalformed() throws Exception {
    int badOrder =
        registry.registerRaw(
            "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.kafkaping.avro\","
                + "\"fields\":[{\"name\":\"x\",\"type\":\"int\",\"order\":\"sideways\"}]}");

    assertThatThrownBy(() -> codec.decodePing(header(badOrder)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("schema id " + badOrder + " is not a valid Avro schema: ");
  }

  @Test
  void shouldRefuseMoreContextEntriesThanJsonAllows() throws Exception {
    Map<String, String> context = new HashMap<>();
    for (int i = 0; i <= WireCodec.MAX_CONTEXT_ENTRIES; i++) {
      context.put("k" + i, "v");
    }
    byte[] value =
        AvroCodec.encodePing(
            new PingEnvelope(context, new Ping(SESSION)), registry.register(AvroCodec.PING));

    assertThatThrownBy(() -> codec.decodePing(value))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("more than " + WireCodec.MAX_CONTEXT_ENTRIES + " entries");
  }

  @Test
  void shouldCallANonCanonicalSessionIdMalformed() throws Exception {
    GenericRecord body = new GenericData.Record(AvroCodec.PING.getField("body").schema());
    body.put("session_id", "1-2-3-4-5");
    GenericRecord ping = new GenericData.Record(AvroCodec.PING);
    ping.put("context", Map.of());
    ping.put("body", body);

    assertThatThrownBy(() -> codec.decodePing(confluent(ping, registry.register(AvroCodec.PING))))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("field 'body.session_id' is not a UUID");
  }

  @Test
  void shouldCallAFailingOrForeignRegistryUnavailableNotTheRecordMalformed() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    byte[] value = AvroCodec.encodePing(PingEnvelope.of(new Ping(SESSION)), pingId);

    registry.failWithStatus = 503;
    assertThatThrownBy(() -> codec.decodePing(value))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("answered HTTP 503");
    registry.failWithStatus = 404; // a 404 page that is not the registry API's: not "unknown id"
    assertThatThrownBy(() -> codec.decodePing(value))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("Confluent-compatible");

    registry.failWithStatus = 0; // failures are not cached: back, it answers
    assertThat(codec.decodePing(value).body().sessionId()).isEqualTo(SESSION);
  }

  @Test
  void shouldCallAClosedPortUnreachable() throws Exception {
    RegistryConnection closed = registry.connection();
    registry.close();
    AvroCodec unreachable = new AvroCodec(new SchemaRegistryClient(closed, Duration.ofSeconds(2)));

    assertThatThrownBy(() -> unreachable.registerPing("ping"))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessage(
            "cannot register the schema of subject 'ping-value': schema registry "
                + closed
                + " unreachable (connection refused)");
  }

  @Test
  void shouldKnowThePongSchemaIdAfterALookupWithoutAskingAgain() throws Exception {
    int pongId = registry.register(AvroCodec.PONG);
    codec.prefetchPong("pong");
    registry.requests.clear();

    assertThat(codec.decodePong(AvroCodec.encodePong(new Pong(SESSION), pongId)))
        .isEqualTo(new Pong(SESSION));
    assertThat(registry.requests).isEmpty();
  }

  private static byte[] header(int schemaId) {
    return ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array();
  }

  private static byte[] confluent(GenericRecord record, int schemaId) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(header(schemaId));
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    return bytes.toByteArray();
  }
}

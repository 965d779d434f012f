package dev.kafkaping.avro;

import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.Ping;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.Uuids;
import dev.kafkaping.message.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Pings and pongs in Avro, in the Confluent wire format: magic byte 0, the schema's registry id (4
 * bytes, big-endian), then the Avro binary record. A record is read with the schema it was written
 * with (fetched by id) resolved against ours, so that a newer writer's optional fields are skipped.
 */
public final class AvroCodec {
  public static final byte MAGIC_BYTE = 0;
  private static final int HEADER_BYTES = 5;

  static {
    // Avro allocates a string, map or array as long as the length prefix claims before reading it;
    // no field of a valid record can be longer than the record itself.
    limitAvro("org.apache.avro.limits.string.maxLength");
    limitAvro("org.apache.avro.limits.bytes.maxLength");
    limitAvro("org.apache.avro.limits.collectionItems.maxLength");
  }

  public static final Schema PING = load("/avro/ping.avsc");
  public static final Schema PONG = load("/avro/pong.avsc");

  private final SchemaRegistryClient registry;
  private final Map<Integer, Resolution> pingReaders = new ConcurrentHashMap<>();
  private final Map<Integer, Resolution> pongReaders = new ConcurrentHashMap<>();

  public AvroCodec(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /**
   * Registers the Ping schema under {@code <topic>-value} (TopicNameStrategy) and returns its id.
   */
  public int registerPing(String pingTopic) throws SchemaRegistryException {
    return registry.register(pingTopic + "-value", PING);
  }

  /**
   * Registers the Pong schema under {@code <topic>-value} (TopicNameStrategy) and returns its id.
   */
  public int registerPong(String pongTopic) throws SchemaRegistryException {
    return registry.register(pongTopic + "-value", PONG);
  }

  /**
   * Learns the Pong schema's id if a server has registered it already, so that reading the first
   * pong needs no request to the registry. Best effort: without it, the first pong asks.
   */
  public void prefetchPong(String pongTopic) {
    try {
      registry.lookup(pongTopic + "-value", PONG);
    } catch (SchemaRegistryException notNow) {
      // the first Avro pong asks for its schema instead
    }
  }

  public static byte[] encodePing(PingEnvelope envelope, int schemaId) {
    GenericRecord body = new GenericData.Record(PING.getField("body").schema());
    body.put("session_id", envelope.body().sessionId().toString());
    GenericRecord ping = new GenericData.Record(PING);
    ping.put("context", envelope.context());
    ping.put("body", body);
    return write(ping, schemaId);
  }

  public static byte[] encodePong(Pong pong, int schemaId) {
    GenericRecord record = new GenericData.Record(PONG);
    record.put("session_id", pong.sessionId().toString());
    return write(record, schemaId);
  }

  /**
   * Decodes a ping; bad bytes, an unknown id or a schema that is not a Ping are malformed input. A
   * registry that cannot be asked is not: its {@link SchemaRegistryException} says whether waiting
   * helps ({@link SchemaRegistryException.Unavailable}) or not ({@link
   * SchemaRegistryException.Misconfigured}).
   */
  public PingEnvelope decodePing(byte[] value)
      throws MalformedMessageException, SchemaRegistryException {
    GenericRecord ping = read(value, PING, pingReaders);
    GenericRecord body = (GenericRecord) ping.get("body");
    Map<?, ?> context = (Map<?, ?>) ping.get("context");
    if (context.size() > WireCodec.MAX_CONTEXT_ENTRIES) {
      throw new MalformedMessageException(
          "field 'context' has more than " + WireCodec.MAX_CONTEXT_ENTRIES + " entries");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    context.forEach((key, text) -> fields.put(key.toString(), text.toString()));
    return new PingEnvelope(
        fields,
        new Ping(Uuids.parseCanonical(body.get("session_id").toString(), "body.session_id")));
  }

  public Pong decodePong(byte[] value) throws MalformedMessageException, SchemaRegistryException {
    GenericRecord pong = read(value, PONG, pongReaders);
    return new Pong(Uuids.parseCanonical(pong.get("session_id").toString(), "session_id"));
  }

  /** The schema id of a value in the Confluent wire format. */
  public static int schemaId(byte[] value) throws MalformedMessageException {
    if (value == null || value.length < HEADER_BYTES || value[0] != MAGIC_BYTE) {
      throw new MalformedMessageException(
          "not the Confluent Avro wire format: "
              + (value == null ? "null value" : value.length + " byte(s)")
              + ", a magic byte 0 and a 4-byte schema id take 5");
    }
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }

  private GenericRecord read(byte[] value, Schema ours, Map<Integer, Resolution> readers)
      throws MalformedMessageException, SchemaRegistryException {
    if (value != null && value.length > WireCodec.MAX_VALUE_BYTES) {
      throw new MalformedMessageException(
          "value too large: " + value.length + " bytes (limit " + WireCodec.MAX_VALUE_BYTES + ")");
    }
    int id = schemaId(value);
    Resolution resolution = readers.get(id);
    if (resolution == null) {
      resolution = resolve(id, ours);
      readers.put(id, resolution);
    }
    return switch (resolution) {
      case Resolution.NotOurs notOurs -> throw new MalformedMessageException(notOurs.reason());
      case Resolution.Readable readable -> decode(value, id, readable.writer(), ours);
    };
  }

  private Resolution resolve(int id, Schema ours)
      throws MalformedMessageException, SchemaRegistryException {
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (UnknownSchemaException e) {
      // Not cached here: the client remembers an unknown id only briefly, since an id unknown now
      // (to a registry replica that lags behind) may be known for a later record.
      throw new MalformedMessageException(e.getMessage());
    }
    SchemaPairCompatibility pair;
    try {
      pair = SchemaCompatibility.checkReaderWriterCompatibility(ours, writer);
    } catch (RuntimeException | StackOverflowError e) {
      return new Resolution.NotOurs(
          "schema id " + id + " cannot be read as a " + ours.getName() + ": " + e);
    }
    if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new Resolution.Readable(writer);
    }
    return new Resolution.NotOurs(
        "schema id "
            + id
            + " ("
            + writer.getFullName()
            + ") is not a "
            + ours.getName()
            + ": "
            + firstIncompatibility(pair));
  }

  private static GenericRecord decode(byte[] value, int id, Schema writer, Schema ours)
      throws MalformedMessageException {
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, null);
    try {
      GenericRecord record =
          new GenericDatumReader<GenericRecord>(writer, ours).read(null, decoder);
      if (!decoder.isEnd()) {
        throw new MalformedMessageException(
            "not a valid Avro record of schema id " + id + ": trailing bytes after it");
      }
      return record;
    } catch (IOException | RuntimeException e) {
      // EOFException: truncated; AvroRuntimeException: a length beyond the limits above;
      // UnsupportedOperationException: a length beyond what a Java array can hold.
      throw new MalformedMessageException(
          "not a valid Avro record of schema id " + id + ": " + describe(e));
    } catch (StackOverflowError e) {
      // A recursive writer schema (a linked list, say) nested deeper than the stack: skipping a
      // field we do not know recurses once per level.
      throw new MalformedMessageException(
          "not a valid Avro record of schema id " + id + ": nested too deeply");
    }
  }

  private static String firstIncompatibility(SchemaPairCompatibility pair) {
    return pair.getResult().getIncompatibilities().stream()
        .findFirst()
        .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
        .orElse(pair.getDescription());
  }

  private static String describe(Exception e) {
    String kind = e instanceof java.io.EOFException ? "truncated" : e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
  }

  private static byte[] write(GenericRecord record, int schemaId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    bytes.write(MAGIC_BYTE);
    bytes.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a message", e);
    }
    return bytes.toByteArray();
  }

  private static Schema load(String resource) {
    try (InputStream in = AvroCodec.class.getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("cannot load " + resource, e);
    }
  }

  private static void limitAvro(String property) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(WireCodec.MAX_VALUE_BYTES));
    }
  }

  /** What our schema makes of a writer's schema, once asked. */
  private sealed interface Resolution {
    record Readable(Schema writer) implements Resolution {}

    record NotOurs(String reason) implements Resolution {}
  }
}

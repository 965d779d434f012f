package dev.kafkaping.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * A third-party Avro client: the Confluent wire format and the registry's REST API written out here
 * with plain Avro and the JDK's HTTP client, independent of this project's codec. The schemas are
 * the repository's own {@code .avsc} files.
 */
final class AvroWire {
  private static final Path SCHEMAS =
      Path.of(System.getProperty("kafkaping.root", ".."), "common/src/main/resources/avro");
  static final Schema PING = parse(SCHEMAS.resolve("ping.avsc"));
  static final Schema PONG = parse(SCHEMAS.resolve("pong.avsc"));

  private final String registryUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  AvroWire(String registryUrl) {
    this.registryUrl = registryUrl;
  }

  static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registers a schema under a subject; returns its id. */
  int register(String subject, Schema schema) throws IOException, InterruptedException {
    return register(subject, "AVRO", schema.toString());
  }

  /** Registers a schema of any type the registry knows (AVRO, JSON, PROTOBUF); returns its id. */
  int register(String subject, String schemaType, String schema)
      throws IOException, InterruptedException {
    String body =
        new ObjectMapper().writeValueAsString(Map.of("schemaType", schemaType, "schema", schema));
    String answer =
        call(
            HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(answer);
    if (!id.find()) {
      throw new AssertionError("no id in " + answer);
    }
    return Integer.parseInt(id.group(1));
  }

  /** The schema the registry holds under this id. */
  Schema schema(int id) throws IOException, InterruptedException {
    String answer =
        call(HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).build());
    return new Schema.Parser().parse(new ObjectMapper().readTree(answer).get("schema").asText());
  }

  String subjects() throws IOException, InterruptedException {
    return call(HttpRequest.newBuilder(URI.create(registryUrl + "/subjects")).build());
  }

  private String call(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** A ping record value: magic byte 0, the 4-byte schema id, the Avro body. */
  static byte[] ping(UUID session, int schemaId, Schema schema, Map<String, Object> extra) {
    GenericRecord body = new GenericData.Record(schema.getField("body").schema());
    body.put("session_id", session.toString());
    GenericRecord ping = new GenericData.Record(schema);
    ping.put("context", Map.of());
    ping.put("body", body);
    extra.forEach(ping::put);
    return confluent(ping, schemaId);
  }

  static byte[] ping(UUID session, int schemaId) {
    return ping(session, schemaId, PING, Map.of());
  }

  static byte[] confluent(GenericRecord record, int schemaId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0);
    bytes.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  /** The schema id of a Confluent-format value; fails if the value is not in that format. */
  static int schemaId(byte[] value) {
    if (value.length < 5 || value[0] != 0) {
      throw new AssertionError("not the Confluent wire format: " + Wire.text(value));
    }
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }

  /** Decodes a Confluent-format value with the schema the registry has for its id. */
  GenericRecord decode(byte[] value) throws IOException, InterruptedException {
    Schema writer = schema(schemaId(value));
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
    return new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
  }
}

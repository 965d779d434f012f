package eval;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

public class MainB {
  static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.kafkaping.avro\",\"fields\":[{\"name\":\"context\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}},{\"name\":\"body\",\"type\":{\"type\":\"record\",\"name\":\"PingBody\",\"fields\":[{\"name\":\"session_id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}}]}}]}";

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:18081/apis/ccompat/v7";
    Schema schema = new Schema.Parser().parse(SCHEMA);
    GenericRecord body = new GenericData.Record(schema.getField("body").schema());
    body.put("session_id", UUID.randomUUID().toString());
    GenericRecord ping = new GenericData.Record(schema);
    ping.put("context", Map.of("traceparent", "00-abc-def-01"));
    ping.put("body", body);

    // register (idempotent: returns the existing id if the schema is already registered)
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url + "/subjects/ping-value/versions"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"schema\":" + jsonString(schema.toString()) + "}"))
            .build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2)
      throw new IllegalStateException(resp.statusCode() + " " + resp.body());
    Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(resp.body());
    if (!m.find()) throw new IllegalStateException("no id in " + resp.body());
    int id = Integer.parseInt(m.group(1));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(ping, enc);
    enc.flush();
    byte[] bytes = out.toByteArray();
    System.out.println(
        "len="
            + bytes.length
            + " head="
            + HexFormat.of().formatHex(bytes, 0, 5)
            + " (id="
            + id
            + ")");
  }
}

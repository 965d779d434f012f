package eval;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

public class MainA {
  static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.kafkaping.avro\",\"fields\":[{\"name\":\"context\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}},{\"name\":\"body\",\"type\":{\"type\":\"record\",\"name\":\"PingBody\",\"fields\":[{\"name\":\"session_id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}}]}}]}";

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "http://localhost:18081/apis/registry/v3";
    Schema schema = new Schema.Parser().parse(SCHEMA);
    GenericRecord body = new GenericData.Record(schema.getField("body").schema());
    body.put("session_id", UUID.randomUUID().toString());
    GenericRecord ping = new GenericData.Record(schema);
    ping.put("context", Map.of("traceparent", "00-abc-def-01"));
    ping.put("body", body);

    Map<String, Object> cfg = new HashMap<>();
    cfg.put("apicurio.registry.url", url);
    cfg.put("apicurio.registry.auto-register", "true");
    cfg.put("apicurio.registry.headers.enabled", "false");
    cfg.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
    cfg.put("apicurio.registry.use-id", "contentId");
    cfg.put("apicurio.registry.dereference-schema", System.getProperty("deref", "true"));
    if (System.getProperty("adapter") != null)
      cfg.put("apicurio.registry.http.adapter", System.getProperty("adapter"));
    try (AvroKafkaSerializer<GenericRecord> ser = new AvroKafkaSerializer<>()) {
      ser.configure(cfg, false);
      byte[] bytes = ser.serialize("ping", ping);
      byte[] head = java.util.Arrays.copyOf(bytes, 5);
      System.out.println("len=" + bytes.length + " head=" + HexFormat.of().formatHex(head));
    }
    System.exit(0);
  }
}

package dev.kafkaping.message;

/** How a ping or pong is written on the wire; a server answers in the format it was asked in. */
public enum WireFormat {
  /** The original's JSON, the default: kcat and the original interoperate with it. */
  JSON,
  /** Avro in the Confluent wire format, with its schema in a schema registry. */
  AVRO;

  /** Confluent's wire format starts with the magic byte 0, which JSON text never does. */
  public static WireFormat of(byte[] value) {
    return value != null && value.length > 0 && value[0] == 0 ? AVRO : JSON;
  }
}

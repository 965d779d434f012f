package dev.kafkaping.avro;

/** The registry answered that a schema id does not exist, or names a schema that is not Avro. */
public final class UnknownSchemaException extends Exception {
  public UnknownSchemaException(String message) {
    super(message, null, false, false);
  }
}

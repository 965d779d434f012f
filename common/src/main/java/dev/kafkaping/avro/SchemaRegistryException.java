package dev.kafkaping.avro;

/**
 * The schema registry could not be asked, or refused: unreachable, an HTTP error, or an answer that
 * is not the Confluent API's. Never a verdict on a record: whoever gets it tries again or stops.
 */
public final class SchemaRegistryException extends Exception {
  public SchemaRegistryException(String message) {
    super(message, null, false, false);
  }
}

package dev.kafkaping.avro;

/**
 * The schema registry could not be asked, or refused: never a verdict on a record. Which of the two
 * subtypes says whether waiting can help: {@link Unavailable} (retry later) or {@link
 * Misconfigured} (nothing changes until someone fixes the URL, the credentials or the subject).
 */
public abstract sealed class SchemaRegistryException extends Exception
    permits SchemaRegistryException.Unavailable, SchemaRegistryException.Misconfigured {
  private SchemaRegistryException(String message) {
    // Without a stack trace or suppressed exceptions it is immutable, so one instance can be
    // handed to every caller that waited on the same request.
    super(message, null, false, false);
  }

  /**
   * An outage: unreachable (refused, reset, unknown host), no answer within the deadline, or an
   * HTTP 408, 429 or 5xx. The same request may well succeed later.
   */
  public static final class Unavailable extends SchemaRegistryException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /**
   * A configuration error: the registry answered, but no retry will change the answer. HTTP 401 or
   * 403 (credentials), a 404 or any answer that is not the Confluent API's JSON (a URL that is not
   * the API's base), 409 (the subject's compatibility rules refuse the schema), 422, another 4xx,
   * or an answer larger than any the API gives.
   */
  public static final class Misconfigured extends SchemaRegistryException {
    public Misconfigured(String message) {
      super(message);
    }
  }
}

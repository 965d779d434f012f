package dev.kafkaping.avro;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the registry answered one request with, and what an answer other than the one asked for
 * means: an outage to wait out, or a configuration to fix.
 *
 * @param path the request's path below the registry's base URL, for messages
 * @param status the HTTP status
 * @param json the body if it was JSON, else null
 * @param overLimit the byte limit the body went beyond (then {@code json} is null), or 0
 */
record RegistryAnswer(String path, int status, JsonNode json, int overLimit) {
  private static final String NOT_THE_API =
      ", not the API's JSON; is the URL the base of a Confluent-compatible API, e.g."
          + " http://localhost:8081/apis/ccompat/v7?";

  int errorCode() {
    return json == null ? 0 : json.path("error_code").asInt();
  }

  /**
   * Is this an error of the Confluent API itself? A 404 is only when its code names what is missing
   * (40401 subject, 40403 schema, ...): a path the API does not have answers 404 as well, with code
   * 404 from Confluent's registry and with no code at all from Apicurio's.
   */
  boolean isApiError() {
    int code = errorCode();
    return status == 404 ? code / 100 == 404 : code != 0;
  }

  /** This answer as the failure of {@code what}, said in one line. */
  SchemaRegistryException failure(String what, RegistryConnection registry) {
    String answered =
        "cannot " + what + ": schema registry " + registry + " answered HTTP " + status;
    if (status == 408 || status == 429 || status >= 500) {
      return new SchemaRegistryException.Unavailable(answered + apiMessage());
    }
    if (status == 401 || status == 403) {
      return new SchemaRegistryException.Misconfigured(
          answered
              + ": not authorized (check basic.auth.credentials.source and basic.auth.user.info)");
    }
    if (overLimit > 0) {
      return new SchemaRegistryException.Misconfigured(
          answered + " at " + path + " with more than " + overLimit + " bytes, the limit");
    }
    if (isApiError()) {
      return new SchemaRegistryException.Misconfigured(answered + apiMessage());
    }
    return new SchemaRegistryException.Misconfigured(answered + " at " + path + NOT_THE_API);
  }

  private String apiMessage() {
    String message = json == null ? "" : oneLine(json.path("message").asText(""));
    return message.isEmpty() ? "" : " (" + message + ")";
  }

  /** A registry's words for one line of ours: no line breaks, at most 200 characters. */
  static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
  }
}

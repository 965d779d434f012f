package dev.kafkaping.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * The calls of Confluent's schema registry API that a producer and a consumer of the Confluent wire
 * format need: look a schema up under a subject, register it, and fetch a schema by its id. Answers
 * are cached for the life of the process (an id never changes its schema); concurrent askers of the
 * same key share one request. Failures are not cached, except that an id the registry has no Avro
 * schema for is remembered for {@link #UNKNOWN_ID_WINDOW}. Each call is over within the timeout,
 * whatever requests it makes, and no answer may be larger than {@link #MAX_RESPONSE_BYTES}.
 */
public final class SchemaRegistryClient {
  /** Far beyond any schema a ping or pong is written with, and any other answer of the API. */
  public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  /** Long enough to spare the registry a flood of one unknown id, short for a lagging replica. */
  public static final Duration UNKNOWN_ID_WINDOW = Duration.ofSeconds(5);

  private static final int SCHEMA_NOT_FOUND = 40403;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConnection connection;
  private final Duration timeout;
  private final RegistryHttp http;
  private final UnknownIds unknownIds;
  private final SharedAnswers<Integer, Schema> byId = new SharedAnswers<>();
  private final SharedAnswers<Registration, Integer> registered = new SharedAnswers<>();

  /** A client whose every call is over within {@code timeout}. */
  public SchemaRegistryClient(RegistryConnection connection, Duration timeout) {
    this(connection, timeout, MAX_RESPONSE_BYTES, UNKNOWN_ID_WINDOW, System::nanoTime);
  }

  SchemaRegistryClient(
      RegistryConnection connection,
      Duration timeout,
      int maxResponseBytes,
      Duration unknownIdWindow,
      LongSupplier nanoClock) {
    this.connection = connection;
    this.timeout = timeout;
    this.http = new RegistryHttp(connection, maxResponseBytes);
    this.unknownIds = new UnknownIds(unknownIdWindow, nanoClock);
  }

  /**
   * One cheap request that returns normally if the URL is the base of a Confluent-compatible API
   * that serves Avro and accepts the credentials. GET /schemas/types: Confluent's registry (since
   * 5.5) and Apicurio's ccompat API answer it to any login, without reading a subject.
   *
   * @throws SchemaRegistryException.Misconfigured if no retry will help; its message is one line a
   *     user can act on
   * @throws SchemaRegistryException.Unavailable if the registry could not answer within {@code
   *     within}
   */
  public void probe(Duration within) throws SchemaRegistryException {
    String what = "use the schema registry";
    RegistryAnswer answer = http.send("/schemas/types", null, what, Deadline.after(within));
    if (answer.status() != 200 || answer.json() == null || !answer.json().isArray()) {
      throw answer.failure(what, connection);
    }
    for (JsonNode type : answer.json()) {
      if (type.asText().equals("AVRO")) {
        return;
      }
    }
    throw new SchemaRegistryException.Misconfigured(
        "cannot "
            + what
            + ": schema registry "
            + connection
            + " serves no Avro schemas, only "
            + RegistryAnswer.oneLine(answer.json().toString()));
  }

  /**
   * The schema's id under the subject: looked up first (a read, so read-only credentials do for a
   * schema someone registered already), registered if it is not there.
   */
  public int register(String subject, Schema schema) throws SchemaRegistryException {
    Deadline deadline = Deadline.after(timeout);
    try {
      return registered.get(
          // Keyed by the schema object, not its text: the server asks once per Avro ping.
          new Registration(subject, schema),
          () -> {
            String what = "register the schema of subject '" + subject + "'";
            Optional<Integer> known = lookup(subject, schema, what, deadline);
            if (known.isPresent()) {
              return known.get();
            }
            try {
              return post(subject, schema, what, deadline);
            } catch (SchemaRegistryException.Misconfigured refused) {
              // Another client may have registered it meanwhile (a registry can answer the
              // second of two concurrent first registrations with 409).
              return lookup(subject, schema, what, deadline).orElseThrow(() -> refused);
            }
          });
    } catch (UnknownSchemaException e) {
      throw new IllegalStateException("registering never reads a schema", e);
    }
  }

  /**
   * The id of this schema if it is registered under the subject (a read: registers nothing); from
   * then on the schema of that id is known without asking. Only a registry that cannot be asked
   * throws: any answer but an id means "not known here", including a refused lookup (a login that
   * may write the subject but not read it), after which a registration still says for itself.
   */
  public Optional<Integer> lookup(String subject, Schema schema) throws SchemaRegistryException {
    return lookup(
        subject,
        schema,
        "look up the schema of subject '" + subject + "'",
        Deadline.after(timeout));
  }

  private Optional<Integer> lookup(String subject, Schema schema, String what, Deadline deadline)
      throws SchemaRegistryException {
    RegistryAnswer answer =
        http.send(
            "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8),
            schemaBody(schema),
            what,
            deadline);
    if (answer.status() != 200 || answer.json() == null || !answer.json().has("id")) {
      return Optional.empty();
    }
    return Optional.of(known(idOf(answer.json(), what), schema));
  }

  /** From now on the schema of this id is known without asking. */
  private int known(int id, Schema schema) {
    byId.know(id, schema);
    return id;
  }

  /** The schema with this id, as the registry has it. */
  public Schema schemaById(int id) throws SchemaRegistryException, UnknownSchemaException {
    Optional<String> unknown = unknownIds.reason(id);
    if (unknown.isPresent()) {
      throw new UnknownSchemaException(unknown.get());
    }
    Deadline deadline = Deadline.after(timeout);
    try {
      return byId.get(
          id,
          () -> {
            String what = "fetch schema id " + id;
            RegistryAnswer answer = http.send("/schemas/ids/" + id, null, what, deadline);
            if (answer.errorCode() == SCHEMA_NOT_FOUND) {
              throw new UnknownSchemaException("unknown schema id " + id);
            }
            return parse(id, ok(answer, what));
          });
    } catch (UnknownSchemaException e) {
      unknownIds.remember(id, e.getMessage());
      throw e;
    }
  }

  private int post(String subject, Schema schema, String what, Deadline deadline)
      throws SchemaRegistryException {
    String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions";
    return idOf(ok(http.send(path, schemaBody(schema), what, deadline), what), what);
  }

  private int idOf(JsonNode answer, String what) throws SchemaRegistryException {
    JsonNode id = answer.get("id");
    if (id == null || !id.canConvertToInt()) {
      throw new SchemaRegistryException.Misconfigured(
          "cannot "
              + what
              + ": schema registry "
              + connection
              + " answered without a schema id: "
              + RegistryAnswer.oneLine(answer.toString()));
    }
    return id.intValue();
  }

  /** The body of a 200 answer; anything else is the registry failing us, said in one line. */
  private JsonNode ok(RegistryAnswer answer, String what) throws SchemaRegistryException {
    if (answer.status() == 200 && answer.json() != null && answer.json().isObject()) {
      return answer.json();
    }
    throw answer.failure(what, connection);
  }

  private static Schema parse(int id, JsonNode answer) throws UnknownSchemaException {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new UnknownSchemaException("schema id " + id + " is a " + type + " schema, not Avro");
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw new UnknownSchemaException("schema id " + id + " has no schema text");
    }
    try {
      // A writer's defaults never matter for reading what it wrote.
      return new Schema.Parser().setValidateDefaults(false).parse(text.asText());
    } catch (RuntimeException | StackOverflowError e) {
      // Not only SchemaParseException: e.g. an unknown field "order" throws what Enum.valueOf
      // throws.
      throw new UnknownSchemaException(
          "schema id "
              + id
              + " is not a valid Avro schema: "
              + RegistryAnswer.oneLine(String.valueOf(e)));
    }
  }

  private static String schemaBody(Schema schema) {
    try {
      return JSON.writeValueAsString(Map.of("schema", schema.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Registration(String subject, Schema schema) {}
}

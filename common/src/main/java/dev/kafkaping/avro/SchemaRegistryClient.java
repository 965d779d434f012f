package dev.kafkaping.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The two calls of Confluent's schema registry API that a producer and a consumer of the Confluent
 * wire format need: register a schema under a subject, and fetch a schema by its id. Answers are
 * cached for the life of the process (an id never changes its schema); concurrent askers of the
 * same id share one request. Failures are not cached, not even "unknown id": a registry replica
 * that lags behind may not know an id yet that its leader just gave out.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final int SUBJECT_NOT_FOUND = 40401;
  private static final int SCHEMA_NOT_FOUND = 40403;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConnection connection;
  private final Duration timeout;
  private final Map<Integer, CompletableFuture<Schema>> byId = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Integer>> registered = new ConcurrentHashMap<>();

  public SchemaRegistryClient(RegistryConnection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
  }

  public RegistryConnection connection() {
    return connection;
  }

  /** Registers the schema under the subject (a no-op if it is there) and returns its id. */
  public int register(String subject, Schema schema) throws SchemaRegistryException {
    try {
      return register0(subject, schema);
    } catch (UnknownSchemaCarrier e) {
      throw new SchemaRegistryException(e.getMessage());
    }
  }

  private int register0(String subject, Schema schema)
      throws SchemaRegistryException, UnknownSchemaCarrier {
    return cached(
        registered,
        subject + '\n' + schema,
        () -> {
          String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
          JsonNode answer =
              send(
                  "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions",
                  body,
                  "register the schema of subject '" + subject + "'");
          JsonNode id = answer.get("id");
          if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException(
                connection + " answered a registration without an id: " + abbreviate(answer));
          }
          return id.intValue();
        });
  }

  /**
   * The id of this schema if it is registered under the subject (a read: registers nothing), and
   * from then on the schema of that id is known without asking.
   */
  public Optional<Integer> lookup(String subject, Schema schema) throws SchemaRegistryException {
    try {
      String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
      JsonNode answer =
          send(
              "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8),
              body,
              "look up the schema of subject '" + subject + "'");
      JsonNode id = answer.get("id");
      if (id == null || !id.canConvertToInt()) {
        return Optional.empty();
      }
      byId.putIfAbsent(id.intValue(), CompletableFuture.completedFuture(schema));
      return Optional.of(id.intValue());
    } catch (UnknownSchemaCarrier | NotRegistered e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SchemaRegistryException(describe(e));
    }
  }

  /** The schema with this id, as the registry has it. */
  public Schema schemaById(int id) throws SchemaRegistryException, UnknownSchemaException {
    try {
      return cached(
          byId,
          id,
          () -> {
            JsonNode answer = send("/schemas/ids/" + id, null, "fetch schema id " + id);
            return parse(id, answer);
          });
    } catch (UnknownSchemaCarrier e) {
      throw e.unknown;
    }
  }

  private Schema parse(int id, JsonNode answer) throws UnknownSchemaCarrier {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new UnknownSchemaCarrier("schema id " + id + " is a " + type + " schema, not Avro");
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw new UnknownSchemaCarrier("schema id " + id + " has no schema text");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new UnknownSchemaCarrier(
          "schema id " + id + " is not a valid Avro schema: " + e.getMessage());
    }
  }

  /**
   * One request: a POST of {@code body}, or a GET without one. {@link HttpURLConnection}, not the
   * JDK's newer HttpClient: that one sets up TLS even for plain http, which cost a single shot
   * about 650 more classes loaded.
   */
  private JsonNode send(String path, String body, String what)
      throws SchemaRegistryException, UnknownSchemaCarrier {
    String uri = connection.url() + path;
    int status;
    String text;
    try {
      HttpURLConnection http = (HttpURLConnection) URI.create(uri).toURL().openConnection();
      http.setConnectTimeout(millis(timeout));
      http.setReadTimeout(millis(timeout));
      http.setRequestProperty("Accept", CONTENT_TYPE + ", application/json");
      connection
          .authorization()
          .ifPresent(value -> http.setRequestProperty("Authorization", value));
      if (body != null) {
        http.setRequestMethod("POST");
        http.setRequestProperty("Content-Type", CONTENT_TYPE);
        http.setDoOutput(true);
        try (OutputStream out = http.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      status = http.getResponseCode();
      try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "cannot "
              + what
              + ": schema registry "
              + connection
              + " unreachable ("
              + describe(e)
              + ")");
    }
    JsonNode answer = readJson(text);
    if (status == 200) {
      if (answer == null) {
        throw new SchemaRegistryException(
            "cannot "
                + what
                + ": "
                + connection
                + " did not answer with JSON; is it the"
                + " Confluent-compatible API (e.g. .../apis/ccompat/v7)?");
      }
      return answer;
    }
    int errorCode = answer == null ? 0 : answer.path("error_code").asInt();
    if (errorCode == SUBJECT_NOT_FOUND) {
      throw new NotRegistered();
    }
    if (errorCode == SCHEMA_NOT_FOUND && path.startsWith("/schemas/ids/")) {
      throw new UnknownSchemaCarrier(
          "unknown schema id " + path.substring("/schemas/ids/".length()));
    }
    if (errorCode == 0) {
      throw new SchemaRegistryException(
          "cannot "
              + what
              + ": "
              + connection
              + " answered HTTP "
              + status
              + "; is it a Confluent-compatible schema registry API (e.g."
              + " http://localhost:8081/apis/ccompat/v7)?");
    }
    String message = answer.path("message").asText("");
    throw new SchemaRegistryException(
        "cannot "
            + what
            + ": schema registry "
            + connection
            + " answered HTTP "
            + status
            + (message.isEmpty() ? "" : " (" + message + ")"));
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }

  private static JsonNode readJson(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return "no answer in time";
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws SchemaRegistryException, UnknownSchemaCarrier, IOException;
  }

  /**
   * The cached answer for the key, asking once for everyone who waits on it; a failure is handed to
   * each of them and forgotten, so that the next asker tries again.
   */
  private static <K, T> T cached(Map<K, CompletableFuture<T>> cache, K key, Call<T> call)
      throws SchemaRegistryException, UnknownSchemaCarrier {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> existing = cache.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(call.call());
      } catch (SchemaRegistryException | UnknownSchemaCarrier | IOException | RuntimeException e) {
        cache.remove(key, mine);
        mine.completeExceptionally(e);
      }
    }
    try {
      return (existing == null ? mine : existing).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while asking the schema registry");
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case SchemaRegistryException s -> throw new SchemaRegistryException(s.getMessage());
        case UnknownSchemaCarrier u -> throw u;
        case IOException io -> throw new SchemaRegistryException(describe(io));
        case RuntimeException r -> throw r;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** The subject does not exist: only {@link #lookup} asks about subjects and expects this. */
  private static final class NotRegistered extends RuntimeException {
    NotRegistered() {
      super(null, null, false, false);
    }
  }

  /** Carries an {@link UnknownSchemaException} through {@link #cached}. */
  private static final class UnknownSchemaCarrier extends Exception {
    final UnknownSchemaException unknown;

    UnknownSchemaCarrier(String message) {
      super(message, null, false, false);
      this.unknown = new UnknownSchemaException(message);
    }
  }
}

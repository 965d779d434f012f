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

/**
 * The calls of Confluent's schema registry API that a producer and a consumer of the Confluent wire
 * format need: look a schema up under a subject, register it, and fetch a schema by its id. Answers
 * are cached for the life of the process (an id never changes its schema); concurrent askers of the
 * same key share one request. Failures are not cached.
 *
 * <p>Over {@link HttpURLConnection}, not the JDK's newer HttpClient: that one sets up TLS even for
 * plain http, which cost a single shot about 650 more classes loaded.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final int SCHEMA_NOT_FOUND = 40403;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConnection connection;
  private final Duration timeout;
  private final Map<Integer, CompletableFuture<Schema>> byId = new ConcurrentHashMap<>();
  private final Map<Registration, CompletableFuture<Integer>> registered =
      new ConcurrentHashMap<>();
  // Which of the registry URLs answered last (Confluent's clients stick to it the same way).
  private volatile int preferred;

  public SchemaRegistryClient(RegistryConnection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
  }

  /**
   * The schema's id under the subject: looked up first (a read, so read-only credentials do for a
   * schema someone registered already), registered if it is not there.
   */
  public int register(String subject, Schema schema) throws SchemaRegistryException {
    try {
      return cached(
          registered,
          // Keyed by the schema object, not its text: the server asks once per Avro ping.
          new Registration(subject, schema),
          () -> {
            String what = "register the schema of subject '" + subject + "'";
            Optional<Integer> known = lookup(subject, schema, what);
            if (known.isPresent()) {
              return known.get();
            }
            try {
              return post(subject, schema, what);
            } catch (SchemaRegistryException refused) {
              // Another client may have registered it meanwhile (a registry can answer the
              // second of two concurrent first registrations with 409).
              return lookup(subject, schema, what).orElseThrow(() -> refused);
            }
          });
    } catch (UnknownSchemaException e) {
      throw new SchemaRegistryException(e.getMessage());
    }
  }

  /**
   * The id of this schema if it is registered under the subject (a read: registers nothing); from
   * then on the schema of that id is known without asking. Only an unreachable registry throws: any
   * answer but an id means "not known here", including a refused lookup (a login that may write the
   * subject but not read it), after which a registration still says for itself.
   */
  public Optional<Integer> lookup(String subject, Schema schema) throws SchemaRegistryException {
    return lookup(subject, schema, "look up the schema of subject '" + subject + "'");
  }

  private Optional<Integer> lookup(String subject, Schema schema, String what)
      throws SchemaRegistryException {
    Answer answer =
        send(
            "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8),
            schemaBody(schema),
            what);
    if (answer.status() != 200 || answer.body() == null || !answer.body().has("id")) {
      return Optional.empty();
    }
    return Optional.of(known(idOf(answer.body()), schema));
  }

  /** From now on the schema of this id is known without asking. */
  private int known(int id, Schema schema) {
    byId.putIfAbsent(id, CompletableFuture.completedFuture(schema));
    return id;
  }

  /** The schema with this id, as the registry has it. */
  public Schema schemaById(int id) throws SchemaRegistryException, UnknownSchemaException {
    return cached(
        byId,
        id,
        () -> {
          String what = "fetch schema id " + id;
          Answer answer = send("/schemas/ids/" + id, null, what);
          if (answer.errorCode() == SCHEMA_NOT_FOUND) {
            throw new UnknownSchemaException("unknown schema id " + id);
          }
          return parse(id, ok(answer, what));
        });
  }

  private int post(String subject, Schema schema, String what) throws SchemaRegistryException {
    return idOf(
        ok(
            send(
                "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions",
                schemaBody(schema),
                what),
            what));
  }

  private int idOf(JsonNode answer) throws SchemaRegistryException {
    JsonNode id = answer.get("id");
    if (id == null || !id.canConvertToInt()) {
      throw new SchemaRegistryException(
          connection + " answered without a schema id: " + oneLine(answer.toString()));
    }
    return id.intValue();
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
          "schema id " + id + " is not a valid Avro schema: " + oneLine(String.valueOf(e)));
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

  /** What the registry answered: the status and, if it was JSON, the object. */
  private record Answer(int status, JsonNode body) {
    int errorCode() {
      return body == null ? 0 : body.path("error_code").asInt();
    }
  }

  /** The body of a 200 answer; anything else is the registry failing us, said in one line. */
  private JsonNode ok(Answer answer, String what) throws SchemaRegistryException {
    int status = answer.status();
    if (status == 200 && answer.body() != null) {
      return answer.body();
    }
    String prefix = "cannot " + what + ": schema registry " + connection + " answered HTTP ";
    if (status == 401 || status == 403) {
      throw new SchemaRegistryException(
          prefix
              + status
              + ": not authorized (check basic.auth.credentials.source and"
              + " basic.auth.user.info)");
    }
    if (answer.errorCode() == 0) {
      throw new SchemaRegistryException(
          prefix
              + status
              + (status == 200 ? " without JSON" : "")
              + "; is it a Confluent-compatible API (e.g."
              + " http://localhost:8081/apis/ccompat/v7)?");
    }
    String message = oneLine(answer.body().path("message").asText(""));
    throw new SchemaRegistryException(
        prefix + status + (message.isEmpty() ? "" : " (" + message + ")"));
  }

  /** One request to the first registry URL that answers: a POST of {@code body}, or a GET. */
  private Answer send(String path, String body, String what) throws SchemaRegistryException {
    IOException failure = null;
    int count = connection.urls().size();
    int first = preferred;
    for (int i = 0; i < count; i++) {
      int index = (first + i) % count;
      try {
        Answer answer = send(URI.create(connection.urls().get(index) + path), body);
        preferred = index; // the next request starts where this one was answered
        return answer;
      } catch (IOException e) {
        failure = e;
      }
    }
    throw new SchemaRegistryException(
        "cannot "
            + what
            + ": schema registry "
            + connection
            + " unreachable ("
            + describe(failure)
            + ")");
  }

  private Answer send(URI uri, String body) throws IOException {
    HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
    http.setConnectTimeout(millis(timeout));
    http.setReadTimeout(millis(timeout));
    http.setRequestProperty("Accept", CONTENT_TYPE + ", application/json");
    connection.authorization().ifPresent(value -> http.setRequestProperty("Authorization", value));
    if (body != null) {
      http.setRequestMethod("POST");
      http.setRequestProperty("Content-Type", CONTENT_TYPE);
      http.setDoOutput(true);
      try (OutputStream out = http.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = http.getResponseCode();
    String text;
    try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
      text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return new Answer(status, readJson(text));
  }

  private static JsonNode readJson(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A registry's words for one line of ours: no line breaks, at most 200 characters. */
  private static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.SocketTimeoutException) {
      return "no answer in time";
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    String message = e.getMessage();
    if (e instanceof java.net.ConnectException && (message == null || message.isBlank())) {
      return "connection refused";
    }
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.toLowerCase(java.util.Locale.ROOT);
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws SchemaRegistryException, UnknownSchemaException;
  }

  /**
   * The cached answer for the key, asking once for everyone who waits on it; a failure, even an
   * Error, is handed to each of them and forgotten, so that the next asker tries again.
   */
  private static <K, T> T cached(Map<K, CompletableFuture<T>> cache, K key, Call<T> call)
      throws SchemaRegistryException, UnknownSchemaException {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> existing = cache.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(call.call());
      } catch (Throwable e) {
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
        case UnknownSchemaException u -> throw new UnknownSchemaException(u.getMessage());
        case RuntimeException r -> throw r;
        case Error error -> throw error;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }
}

package dev.kafkaping.avro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The two calls of Confluent's registry API that {@link SchemaRegistryClient} makes, in memory, for
 * unit tests of the codec's logic; the system tests run a real registry.
 */
final class FakeRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  final List<String> requests = new CopyOnWriteArrayList<>();
  volatile int failWithStatus; // 0: answer normally
  volatile int failLookupsWithStatus; // 0: answer lookups normally

  FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  RegistryConnection connection() {
    return connection(url());
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static RegistryConnection connection(String urls) {
    return RegistryConnection.of(java.util.Optional.of(urls), Map.of()).orElseThrow();
  }

  /** Stores schema text as it is, even text Avro's parser refuses; returns its id. */
  int registerRaw(String text) {
    int id = nextId.getAndIncrement();
    schemas.put(id, text);
    return id;
  }

  int register(Schema schema) {
    return ids.computeIfAbsent(
        schema.toString(false),
        text -> {
          int id = nextId.getAndIncrement();
          schemas.put(id, schema.toString());
          return id;
        });
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    if (failWithStatus != 0) {
      answer(exchange, failWithStatus, "<html>Bad Gateway</html>");
      return;
    }
    if (path.startsWith("/schemas/ids/")) {
      String schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
      if (schema == null) {
        answer(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
      } else {
        answer(exchange, 200, JSON.writeValueAsString(Map.of("schema", schema)));
      }
      return;
    }
    String schema = JSON.readTree(exchange.getRequestBody().readAllBytes()).get("schema").asText();
    if (!path.endsWith("/versions") && failLookupsWithStatus != 0) {
      answer(exchange, failLookupsWithStatus, "{\"error_code\":40301,\"message\":\"denied\"}");
      return;
    }
    if (path.endsWith("/versions")) {
      answer(exchange, 200, "{\"id\":" + register(new Schema.Parser().parse(schema)) + "}");
    } else if (ids.containsKey(new Schema.Parser().parse(schema).toString())) {
      answer(
          exchange, 200, "{\"id\":" + ids.get(new Schema.Parser().parse(schema).toString()) + "}");
    } else {
      answer(exchange, 404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

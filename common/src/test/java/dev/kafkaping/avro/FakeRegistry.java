package dev.kafkaping.avro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The calls of Confluent's registry API that {@link SchemaRegistryClient} makes, in memory, for
 * unit tests of the client's and the codec's logic, and the ways a registry or what stands in its
 * place misbehaves; the system tests run a real registry.
 */
final class FakeRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile int failWithStatus; // 0: answer normally, else every request with this and failBody
  volatile String failBody = "<html>Bad Gateway</html>";
  volatile int failLookupsWithStatus; // 0: answer lookups normally
  volatile boolean chunked; // answer without a Content-Length
  volatile Duration trickle = Duration.ZERO; // the pause before each byte of an answer's body
  volatile boolean hang; // take requests but answer none until closed

  FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(handlers); // a hanging or trickling answer holds up no other request
    server.start();
  }

  /** A started registry, for a test's field initialiser. */
  static FakeRegistry started() {
    try {
      return new FakeRegistry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RegistryConnection connection() {
    return connection(url());
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static RegistryConnection connection(String urls) {
    return RegistryConnection.of(Optional.of(urls), Map.of()).orElseThrow();
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
    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
        .ifPresent(authorizations::add);
    if (hang) {
      awaitClose();
      return;
    }
    if (failWithStatus != 0) {
      answer(exchange, failWithStatus, failBody);
      return;
    }
    if (path.equals("/schemas/types")) {
      answer(exchange, 200, "[\"JSON\",\"PROTOBUF\",\"AVRO\"]");
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

  private void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (trickle.isZero()) {
        out.write(bytes);
        return;
      }
      for (byte b : bytes) {
        pause(trickle); // the slowness being simulated, not a wait for anything
        out.write(b);
        out.flush();
      }
    }
  }

  private static void pause(Duration duration) throws IOException {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      throw new IOException("closed");
    }
  }

  private void awaitClose() throws IOException {
    try {
      closed.await();
    } catch (InterruptedException e) {
      throw new IOException("closed");
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}

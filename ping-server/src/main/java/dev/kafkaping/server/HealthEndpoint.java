package dev.kafkaping.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kafkaping.cli.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /livez} and {@code /readyz} over the JDK's own HTTP server: 200 or 503, with the {@link
 * Health} as a small JSON body. One daemon thread; a supervisor asks every few seconds.
 */
final class HealthEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private HealthEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static HealthEndpoint start(InetSocketAddress address, Supplier<Health> health) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException | RuntimeException e) { // RuntimeException: an unknown host
      throw new UserError(
          "--health-port: cannot listen on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + " ("
              + e.getMessage()
              + ")");
    }
    server.createContext(
        "/livez", exchange -> answer(exchange, "live", health.get(), Health::live));
    server.createContext(
        "/readyz", exchange -> answer(exchange, "ready", health.get(), Health::ready));
    ExecutorService executor =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("health").daemon().factory());
    server.setExecutor(executor);
    server.start();
    return new HealthEndpoint(server, executor);
  }

  /** The port it listens on: the one asked for, or the one the system chose for port 0. */
  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(
      HttpExchange exchange, String what, Health health, Function<Health, Health.Verdict> which)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Health.Verdict verdict = which.apply(health);
      byte[] body = (health.json(what, verdict) + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      int status = verdict.ok() ? 200 : 503;
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

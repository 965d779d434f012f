package dev.kafkaping.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request to the first of the registry's URLs that answers, over by the caller's deadline and
 * reading no more than a limit of bytes.
 *
 * <p>Over {@link HttpURLConnection}, not the JDK's newer HttpClient: that one sets up TLS even for
 * plain http, which cost a single shot about 650 more classes loaded. Its timeouts are per read,
 * and a registry that trickles its answer a byte at a time would hold the caller for as long as it
 * likes; so the request runs on a virtual thread of its own and the caller waits for it only until
 * the deadline.
 */
final class RegistryHttp {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConnection connection;
  private final int maxResponseBytes;
  // The URL to try first: the one that answered last (Confluent's clients stick to it the same
  // way), or the one after a URL that failed, so that a URL which eats whole deadlines is skipped.
  private volatile int preferred;

  RegistryHttp(RegistryConnection connection, int maxResponseBytes) {
    this.connection = connection;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** A POST of {@code body}, or a GET if it is null; {@code what} names the call in messages. */
  RegistryAnswer send(String path, String body, String what, Deadline deadline)
      throws SchemaRegistryException.Unavailable {
    List<URI> urls = connection.urls();
    IOException failure = null;
    int first = preferred;
    for (int i = 0; i < urls.size() && !deadline.passed(); i++) {
      int index = (first + i) % urls.size();
      try {
        RegistryAnswer answer =
            exchange(
                URI.create(urls.get(index) + path), path, body, what, deadline, urls.size() - i);
        preferred = index;
        return answer;
      } catch (IOException e) {
        failure = e;
        preferred = (index + 1) % urls.size();
      }
    }
    String why =
        failure == null || failure instanceof SocketTimeoutException
            ? "no answer within " + deadline.length().toMillis() + " ms"
            : describe(failure);
    throw new SchemaRegistryException.Unavailable(
        "cannot " + what + ": schema registry " + connection + " unreachable (" + why + ")");
  }

  private RegistryAnswer exchange(
      URI uri, String path, String body, String what, Deadline deadline, int urlsLeft)
      throws IOException, SchemaRegistryException.Unavailable {
    HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
    long remaining = deadline.remainingNanos();
    // A URL that drops connections must leave the URLs after it time to answer.
    http.setConnectTimeout(millis(remaining / urlsLeft));
    http.setReadTimeout(millis(remaining));
    http.setRequestProperty("Accept", CONTENT_TYPE + ", application/json");
    connection.authorization().ifPresent(value -> http.setRequestProperty("Authorization", value));
    CompletableFuture<RegistryAnswer> answer = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("schema-registry-request")
        .start(
            () -> {
              try {
                answer.complete(talk(http, path, body, deadline));
              } catch (Throwable e) {
                answer.completeExceptionally(e);
              }
            });
    try {
      return answer.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abandon(http);
      throw new SocketTimeoutException();
    } catch (InterruptedException e) {
      abandon(http);
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException.Unavailable(
          "cannot " + what + ": interrupted while waiting for schema registry " + connection);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException r -> throw r;
        case Error error -> throw error;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** The request itself, on its own thread; it stops reading soon after the deadline too. */
  private RegistryAnswer talk(HttpURLConnection http, String path, String body, Deadline deadline)
      throws IOException {
    if (body != null) {
      http.setRequestMethod("POST");
      http.setRequestProperty("Content-Type", CONTENT_TYPE);
      http.setDoOutput(true);
      try (OutputStream out = http.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = http.getResponseCode();
    try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
      if (in == null) {
        return new RegistryAnswer(path, status, null, 0);
      }
      byte[] bytes =
          http.getContentLengthLong() > maxResponseBytes ? null : readAtMost(in, deadline);
      if (bytes == null) {
        http.disconnect(); // rather than leave the rest to be drained for keep-alive
        return new RegistryAnswer(path, status, null, maxResponseBytes);
      }
      return new RegistryAnswer(path, status, readJson(bytes), 0);
    }
  }

  /** The stream's bytes, or null if there are more than the limit. */
  private byte[] readAtMost(InputStream in, Deadline deadline) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
      if (deadline.passed()) {
        throw new SocketTimeoutException(); // nobody waits for the rest any more
      }
      if (bytes.size() + n > maxResponseBytes) {
        return null;
      }
      bytes.write(chunk, 0, n);
    }
    return bytes.toByteArray();
  }

  /**
   * Closes the connection of a request nobody waits for. On a thread of its own: while a read is
   * under way, disconnect() waits for it, since it closes the stream under the stream's lock.
   */
  private static void abandon(HttpURLConnection http) {
    Thread.ofVirtual().name("schema-registry-abandon").start(http::disconnect);
  }

  private static JsonNode readJson(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  private static int millis(long nanos) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return switch (e) {
      case UnknownHostException u -> "unknown host " + message;
      case ConnectException c when message == null || message.isBlank() -> "connection refused";
      default ->
          message == null || message.isBlank()
              ? e.getClass().getSimpleName()
              : message.toLowerCase(Locale.ROOT);
    };
  }
}

package dev.kafkaping.devregistry;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Runs Apicurio Registry, a Confluent-compatible schema registry, in this process: one line when it
 * is ready, its own log in a file, schemas kept in an H2 file under the data directory so that a
 * restart keeps every id (as a Confluent registry keeps them in its Kafka topic).
 */
public final class DevRegistry {
  static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final String ENTRY_POINT = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

  /** Set once the outcome of the start has been said, so that exiting says nothing more. */
  private static final AtomicBoolean SAID = new AtomicBoolean();

  private DevRegistry() {}

  public static void main(String[] args) throws Exception {
    RegistryOptions options;
    try {
      options = RegistryOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("schema-registry: " + e.getMessage());
      System.err.println(RegistryOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(RegistryOptions.USAGE);
      return;
    }
    if (options.version()) {
      System.out.println(
          "schema-registry-dev "
              + version("version")
              + " (Apicurio Registry "
              + version("apicurio.version")
              + ", Java "
              + Runtime.version()
              + ")");
      return;
    }
    try {
      run(options);
    } catch (StartRefused e) {
      System.err.println("schema-registry: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void run(RegistryOptions options) throws Exception {
    requireApicurio();
    int port = options.port() == 0 ? freePort() : requireFree(options.port());
    int managementPort = freePort();
    Path dataDir = options.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    FileLock lock = lockDataDir(dataDir);
    Path log = dataDir.resolve("registry.log");

    // A development registry has no login and takes writes: this machine only.
    System.setProperty("quarkus.http.host", "127.0.0.1");
    System.setProperty("quarkus.http.port", Integer.toString(port));
    System.setProperty("quarkus.management.host", "127.0.0.1");
    System.setProperty("quarkus.management.port", Integer.toString(managementPort));
    System.setProperty("quarkus.banner.enabled", "false");
    System.setProperty("quarkus.log.console.enable", "false");
    System.setProperty("quarkus.log.file.enable", "true");
    System.setProperty("quarkus.log.file.path", log.toString());
    System.setProperty("apicurio.datasource.url", "jdbc:h2:file:" + dataDir.resolve("registry"));
    // Apicurio's pool opens 20 connections up front, sized for a server, not for a dev box.
    System.setProperty("apicurio.datasource.jdbc.initial-size", "2");
    System.setProperty("apicurio.datasource.jdbc.min-size", "2");
    System.setProperty("apicurio.datasource.jdbc.max-size", "10");

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!SAID.get()) {
                    System.err.println(
                        "schema-registry: stopped before it was ready; its log is " + log);
                  }
                }));
    Thread registry = new Thread(DevRegistry::runQuarkus, "apicurio-registry");
    registry.start();

    String url = "http://localhost:" + port + "/apis/ccompat/v7";
    if (!awaitReady(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))) {
      SAID.set(true);
      System.err.println(
          "schema-registry: not ready within "
              + START_DEADLINE.toSeconds()
              + " s; its log is "
              + log);
      System.exit(1);
    }
    SAID.set(true);
    exitZeroOnFirstSignal();
    System.out.println(
        "Schema registry ready at "
            + url
            + " (Apicurio Registry "
            + version("apicurio.version")
            + ", schemas kept in "
            + dataDir
            + ", log "
            + log
            + ")");
    registry.join(); // Quarkus's main returns only when the JVM stops
    lock.release(); // keeps the lock reachable until then: a collected channel would drop it
  }

  /**
   * A stop by Ctrl-C or SIGTERM is the normal end of a dev registry: exit 0 after Quarkus's own
   * shutdown hook, not the JVM's 130 or 143. A second signal halts at once.
   */
  private static void exitZeroOnFirstSignal() {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (stopping.compareAndSet(false, true)) {
              new Thread(() -> System.exit(0), "stop").start();
            } else {
              Runtime.getRuntime().halt(128 + signal.getNumber());
            }
          });
    }
  }

  /** Quarkus's own main: blocks until the registry stops, and stops it on SIGINT and SIGTERM. */
  private static void runQuarkus() {
    try {
      Class.forName(ENTRY_POINT)
          .getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } catch (InvocationTargetException e) {
      SAID.set(true);
      System.err.println("schema-registry: the registry failed: " + e.getCause());
      System.exit(1);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireApicurio() throws StartRefused {
    try {
      Class.forName(ENTRY_POINT, false, DevRegistry.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new StartRefused(
          "Apicurio Registry is missing beside this jar (apicurio/quarkus-run.jar); build it with:"
              + " mvn -B -q package -DskipTests");
    }
  }

  private static boolean awaitReady(URI health) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(START_DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100); // polling interval of the readiness check
    }
    return false;
  }

  private static FileLock lockDataDir(Path dataDir) throws IOException, StartRefused {
    FileChannel channel =
        FileChannel.open(
            dataDir.resolve("registry.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new StartRefused(
          "data dir "
              + dataDir
              + " is in use by another registry; stop it or pick another"
              + " --data-dir");
    }
    return lock;
  }

  private static int requireFree(int port) throws StartRefused {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      return port;
    } catch (IOException e) {
      throw new StartRefused(
          "port " + port + " is in use (another registry?); stop it or pick another --port");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** {@code version} or {@code apicurio.version}, as Maven wrote them at build time. */
  private static String version(String key) {
    Properties versions = new Properties();
    try (var in = DevRegistry.class.getResourceAsStream("/dev-registry.properties")) {
      versions.load(in);
    } catch (IOException | NullPointerException e) {
      return "unknown";
    }
    return versions.getProperty(key, "unknown");
  }

  static final class StartRefused extends Exception {
    StartRefused(String message) {
      super(message);
    }
  }
}

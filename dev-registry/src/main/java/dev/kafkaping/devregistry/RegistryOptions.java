package dev.kafkaping.devregistry;

import java.nio.file.Path;

/** The launcher's few options; anything else is refused. */
record RegistryOptions(int port, Path dataDir, boolean help, boolean version) {
  static final String USAGE =
      """
      Usage: schema-registry [--port N] [--data-dir DIR] [--version] [--help]
        --port N        HTTP port of the Confluent-compatible API (default 8081; 0 picks a free one)
        --data-dir DIR  where schemas are kept across restarts (default <tmp>/schema-registry-data)
      """
          .stripTrailing();

  static RegistryOptions parse(String[] args) {
    int port = 8081;
    Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "schema-registry-data");
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = parsePort(valueOf(args, ++i, "--port"));
        case "--data-dir" -> dataDir = Path.of(valueOf(args, ++i, "--data-dir"));
        case "-h", "--help" -> help = true;
        case "-V", "--version" -> version = true;
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    return new RegistryOptions(port, dataDir, help, version);
  }

  private static String valueOf(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    return args[i];
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--port must be a number from 0 to 65535, got '" + text + "'");
  }
}

package dev.kafkaping.system;

import java.nio.file.Files;
import java.nio.file.Path;

/** The fat jars built by the other modules of this reactor. */
final class Jars {
  private static final Path ROOT =
      Path.of(System.getProperty("kafkaping.root", "..")).toAbsolutePath().normalize();

  static final Path PING = require(ROOT.resolve("ping-client/target/ping.jar"));
  static final Path PONG = require(ROOT.resolve("ping-server/target/pong.jar"));
  static final Path KAFKA_DEV = require(ROOT.resolve("dev-kafka/target/kafka-dev.jar"));
  static final Path SCHEMA_REGISTRY =
      require(ROOT.resolve("dev-registry/target/schema-registry-dev.jar"));

  private Jars() {}

  private static Path require(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first with mvn package");
    }
    return jar;
  }
}

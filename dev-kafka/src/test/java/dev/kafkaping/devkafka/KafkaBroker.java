package dev.kafkaping.devkafka;

/** A running broker that a test can talk to. */
public interface KafkaBroker extends AutoCloseable {
  String bootstrapServers();

  @Override
  void close();
}

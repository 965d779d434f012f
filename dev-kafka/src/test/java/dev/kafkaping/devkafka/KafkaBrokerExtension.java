package dev.kafkaping.devkafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every test in the JVM one shared broker, started on first use and stopped when the JVM's
 * tests are done. The embedded broker is the default; {@code -Dkafkaping.broker=testcontainers}
 * selects a Kafka container instead (its tests are skipped where there is no Docker).
 */
public final class KafkaBrokerExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  public static final String SELECTOR = "kafkaping.broker";
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  /**
   * Registered on one test method, the broker starts here: a missing Docker then skips the test,
   * where the same assumption failing during parameter resolution would be an error.
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  private static KafkaBroker broker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", key -> new SharedBroker(start()), SharedBroker.class)
        .broker();
  }

  private static KafkaBroker start() {
    String selected = System.getProperty(SELECTOR, "embedded").toLowerCase(Locale.ROOT);
    return switch (selected) {
      case "embedded" -> startEmbedded();
      case "testcontainers" -> TestcontainersBroker.start();
      default ->
          throw new IllegalArgumentException(
              SELECTOR + " must be 'embedded' or 'testcontainers', got '" + selected + "'");
    };
  }

  private static KafkaBroker startEmbedded() {
    try {
      Path dataDir = Files.createTempDirectory("kafka-ping-test-broker");
      EmbeddedKafka kafka =
          EmbeddedKafka.start(new BrokerSettings(0, dataDir, 3, BrokerSettings.DEFAULT_TOPICS));
      return new KafkaBroker() {
        @Override
        public String bootstrapServers() {
          return kafka.bootstrapServers();
        }

        @Override
        public void close() {
          kafka.close();
          try {
            EmbeddedKafka.deleteRecursively(dataDir);
          } catch (IOException ignored) {
            // a temp dir left behind is harmless
          }
        }
      };
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded Kafka broker", e);
    }
  }

  /** Closes the broker when the root context (the whole test run of this JVM) closes. */
  private record SharedBroker(KafkaBroker broker) implements AutoCloseable {
    @Override
    public void close() {
      broker.close();
    }
  }
}

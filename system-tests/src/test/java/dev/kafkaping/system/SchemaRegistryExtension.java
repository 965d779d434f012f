package dev.kafkaping.system;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real schema registry (a {@link RegistryProcess}) shared by the tests of a class that ask for
 * one; stopped with the class. A test that stops it starts it again before it ends.
 */
final class SchemaRegistryExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SchemaRegistryExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RegistryProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return PerTestClass.store(context, NAMESPACE)
        .getOrComputeIfAbsent("registry", key -> start(), Shared.class)
        .registry();
  }

  private static Shared start() {
    try {
      RegistryProcess registry =
          new RegistryProcess(Files.createTempDirectory("kafka-ping-test-registry"));
      registry.start();
      return new Shared(registry);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the schema registry", e);
    }
  }

  /** Closed by JUnit with the class's store: the process, then its data. */
  private record Shared(RegistryProcess registry) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      registry.close();
      PerTestClass.deleteTree(registry.dataDir());
    }
  }
}

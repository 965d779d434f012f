package dev.kafkaping.system;

import dev.kafkaping.devkafka.BrokerSettings;
import dev.kafkaping.devkafka.ClusterLayout;
import dev.kafkaping.devkafka.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One three-broker cluster (three {@code kafka-dev.jar} node processes) shared by the tests of a
 * class that ask for a {@link KafkaCluster}: it takes about 11 s to start on two cores.
 */
final class KafkaClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // Kept for the test class, not the whole run: three idle brokers would slow every later test.
    return PerTestClass.store(context, NAMESPACE)
        .getOrComputeIfAbsent("cluster", key -> SharedCluster.start(), SharedCluster.class)
        .cluster();
  }

  private record SharedCluster(KafkaCluster cluster, Path dataDir) implements AutoCloseable {
    static SharedCluster start() {
      try {
        Path dataDir = Files.createTempDirectory("kafka-ping-test-cluster");
        List<String> kafkaDev =
            new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        kafkaDev.addAll(KafkaCluster.nodeJvmFlags());
        kafkaDev.addAll(List.of("-jar", Jars.KAFKA_DEV.toString()));
        KafkaCluster cluster =
            KafkaCluster.start(
                ClusterLayout.plan(0, dataDir, 3),
                kafkaDev,
                BrokerSettings.DEFAULT_TOPICS,
                System.err);
        return new SharedCluster(cluster, dataDir);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the three-broker cluster", e);
      }
    }

    @Override
    public void close() throws Exception {
      cluster.close();
      PerTestClass.deleteTree(dataDir);
    }
  }
}

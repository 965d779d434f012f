package dev.kafkaping.devkafka;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar kafka-dev.jar}: runs a development Kafka broker until SIGTERM or Ctrl-C. */
@Command(
    name = "kafka-dev",
    mixinStandardHelpOptions = true,
    versionProvider = DevKafkaCommand.Version.class,
    description =
        "Runs a real single-node Apache Kafka broker (KRaft) on 127.0.0.1 for development.")
public final class DevKafkaCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      defaultValue = "${sys:java.io.tmpdir}/kafka-dev-data",
      description = "Data directory; reused across restarts (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions of the topics ping, pong and ping.DLT (default: ${DEFAULT-VALUE}).")
  int partitions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    quietLogging();
    System.exit(new CommandLine(new DevKafkaCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    BrokerSettings settings =
        new BrokerSettings(port, dataDir, partitions, BrokerSettings.DEFAULT_TOPICS);
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(settings);
    } catch (Exception e) {
      spec.commandLine().getErr().println("kafka-dev: cannot start the broker: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                },
                "kafka-dev-shutdown"));
    spec.commandLine().getOut().println("Kafka ready at " + kafka.bootstrapServers());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  /** The broker logs thousands of info lines; a developer wants warnings only. */
  static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = DevKafkaCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kafka-dev " + (version == null ? "(development build)" : version)};
    }
  }
}

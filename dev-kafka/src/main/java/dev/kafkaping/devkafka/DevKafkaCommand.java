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

  @Option(
      names = "--sasl",
      description =
          "Require SASL/SCRAM-SHA-512 and enforce ACLs (StandardAuthorizer); 'admin' is the super"
              + " user.")
  boolean sasl;

  @Option(
      names = "--admin-password",
      defaultValue = "admin-secret",
      description = "Password of the super user 'admin' with --sasl (default: ${DEFAULT-VALUE}).")
  String adminPassword;

  @Option(
      names = "--user",
      paramLabel = "NAME=PASSWORD",
      description = "A SCRAM user to create with --sasl (repeatable); grant it ACLs as admin.")
  java.util.Map<String, String> users = new java.util.LinkedHashMap<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    quietLogging();
    System.exit(new CommandLine(new DevKafkaCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    java.util.Optional<ScramUsers> scram =
        sasl
            ? java.util.Optional.of(new ScramUsers(adminPassword, users))
            : java.util.Optional.empty();
    BrokerSettings settings =
        new BrokerSettings(port, dataDir, partitions, BrokerSettings.DEFAULT_TOPICS, scram);
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
    spec.commandLine()
        .getOut()
        .println(
            "Kafka ready at "
                + kafka.bootstrapServers()
                + (sasl ? " (SASL_PLAINTEXT, " + ScramUsers.MECHANISM + ")" : ""));
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

package dev.kafkaping.cli;

import dev.kafkaping.avro.RegistryConnection;
import dev.kafkaping.kafka.KafkaConnection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import java.util.function.Function;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The connection options shared by ping and pong, modelled on Kafka's own CLI tools and kcat. */
public final class ConnectionOptions {
  private final Function<String, String> env;

  private static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  // The default is spelled out rather than ${DEFAULT-VALUE}, which would show the variable's value
  // and make --help depend on the environment.
  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-" + DEFAULT_BOOTSTRAP + "}",
      description =
          "Kafka brokers, comma-separated (default: env KAFKA_BOOTSTRAP_SERVERS, else "
              + DEFAULT_BOOTSTRAP
              + ").")
  String bootstrapServers;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description = "Kafka client properties file, for SASL or TLS settings and the like.")
  Path commandConfig;

  @Option(
      names = "-X",
      paramLabel = "KEY=VALUE",
      parameterConsumer = KeyValue.class,
      description = "One Kafka client property, overriding the command config; repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--schema-registry",
      paramLabel = "URL",
      defaultValue = "${env:SCHEMA_REGISTRY_URL}",
      description =
          "Confluent-compatible schema registry for Avro (env SCHEMA_REGISTRY_URL, or"
              + " schema.registry.url in the command config).")
  String schemaRegistry;

  // No defaultValue: picocli would check LOG_LEVEL as if it were --log-level, even for --help.
  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      parameterConsumer = Level.class,
      description = "trace, debug, info, warn or error (env LOG_LEVEL; default: info).")
  String logLevel; // applied by LogLevel.configure before picocli runs; declared here for --help

  private Map<String, String> userProperties;

  public ConnectionOptions() {
    this(System::getenv);
  }

  /** With {@code env} in place of the process environment, for tests. */
  ConnectionOptions(Function<String, String> env) {
    this.env = env;
  }

  /**
   * The Kafka connection. Also refuses a {@code LOG_LEVEL} that names no level (when no {@code
   * --log-level} overrides it): checked here rather than while parsing, so that {@code --help} and
   * {@code --version} work whatever the environment says.
   */
  public KafkaConnection toConnection() {
    if (logLevel == null) {
      LogLevel.fromEnvironment(env);
    }
    return KafkaConnection.of(bootstrapServers, userProperties());
  }

  /** The schema registry, if one is named; its basic auth comes from the command config. */
  public Optional<RegistryConnection> toRegistry() {
    return RegistryConnection.of(Optional.ofNullable(schemaRegistry), userProperties());
  }

  /** The command config and the -X overrides, read once for Kafka and the registry both. */
  private Map<String, String> userProperties() {
    if (userProperties == null) {
      userProperties = KafkaConnection.userProperties(commandConfig, overrides);
    }
    return userProperties;
  }

  /**
   * One {@code -X} value. Picocli's own message for a value without '=' ("Value for option option
   * '-X' …") reads as a typo.
   */
  static final class KeyValue implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
      String value = next(args, option, command);
      int equals = value.indexOf('=');
      if (equals < 1) {
        throw new ParameterException(
            command.commandLine(), "-X needs KEY=VALUE, got '" + value + "'");
      }
      Map<String, String> overrides = option.getValue();
      overrides.put(value.substring(0, equals), value.substring(equals + 1));
    }
  }

  /** An explicit {@code --log-level} must be a level. */
  static final class Level implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
      String value = next(args, option, command);
      if (LogLevel.parse(value).isEmpty()) {
        throw new ParameterException(
            command.commandLine(),
            "--log-level needs one of " + LogLevel.NAMES + ", got '" + value + "'");
      }
      option.setValue(value);
    }
  }

  private static String next(Stack<String> args, ArgSpec option, CommandSpec command) {
    if (args.isEmpty()) {
      OptionSpec spec = (OptionSpec) option;
      throw new ParameterException(
          command.commandLine(),
          "Missing required parameter for option '"
              + spec.longestName()
              + "' ("
              + spec.paramLabel()
              + ")");
    }
    return args.pop();
  }
}

package dev.kafkaping.server;

import dev.kafkaping.cli.CommandRunner;
import dev.kafkaping.cli.ConnectionOptions;
import dev.kafkaping.cli.ExitCode;
import dev.kafkaping.cli.LogLevel;
import dev.kafkaping.cli.StopSignals;
import dev.kafkaping.cli.VersionProvider;
import dev.kafkaping.tracing.Telemetry;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar pong.jar}: answers every ping until SIGTERM or Ctrl-C. */
@Command(
    name = "pong",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description =
        "Answers every Ping on the ping topic with a Pong on the pong topic, one state machine"
            + " per ping, in the ping's own format (JSON, or Avro with --schema-registry)."
            + " Offsets are committed only for answered pings. Tracing is configured with the"
            + " standard OTEL_* environment variables.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly (SIGTERM or Ctrl-C)",
      "2:bad arguments, broker or registry unusable at start, authentication or authorisation"
          + " failure, a poll error no retry can cure",
      "130/143:a second Ctrl-C or SIGTERM during the stop"
    })
public final class PongCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--ping-topic",
      defaultValue = "ping",
      paramLabel = "TOPIC",
      description = "Topic to read pings from (default: ${DEFAULT-VALUE}).")
  String pingTopic;

  @Option(
      names = "--pong-topic",
      defaultValue = "pong",
      paramLabel = "TOPIC",
      description = "Topic to write pongs to (default: ${DEFAULT-VALUE}).")
  String pongTopic;

  @Option(
      names = "--group",
      defaultValue = "pong-server",
      paramLabel = "GROUP",
      description =
          "Consumer group the pong servers share, dividing the partitions (default:"
              + " ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--budget",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description = "Time budget of one Pong state machine (default ${DEFAULT-VALUE}).")
  Duration budget;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Partitions for topics created because they were missing (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Pings answered at once; consumption pauses above this (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--startup-timeout",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Give up when the broker does not answer at start within this (default:"
              + " ${DEFAULT-VALUE}).")
  Duration startupTimeout;

  @Option(
      names = "--reply-topics",
      defaultValue = PongServerConfig.DEFAULT_REPLY_TOPICS,
      paramLabel = "REGEX",
      description =
          "Reply topics a request/reply client (Spring, Quarkus) may name in its headers; others"
              + " are dead-lettered (default: ${DEFAULT-VALUE}).")
  String replyTopics;

  @Option(
      names = "--health-port",
      paramLabel = "PORT",
      description =
          "Serve /livez and /readyz on this port, or on any free one for 0 (logged); off by"
              + " default.")
  Integer healthPort;

  @Option(
      names = "--health-host",
      defaultValue = "127.0.0.1",
      paramLabel = "HOST",
      description = "Health endpoint address (default: ${DEFAULT-VALUE}).")
  String healthHost;

  public static void main(String[] args) {
    LogLevel.configure(args);
    System.exit(CommandRunner.commandLine(new PongCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    PongServerConfig config =
        new PongServerConfig(
            connection.toConnection(),
            pingTopic,
            pongTopic,
            group,
            budget,
            partitions,
            maxInFlight,
            startupTimeout,
            Duration.ofSeconds(10),
            connection.toRegistry(),
            PongServerConfig.replyTopicPattern(replyTopics),
            PongServerConfig.healthAddress(healthPort, healthHost));
    Telemetry telemetry = Telemetry.autoconfigure("pong");
    PongServer server = new PongServer(config, telemetry.openTelemetry(), telemetry.meter());
    StopSignals.install(server::stop);
    try {
      server.run();
    } finally {
      if (!telemetry.shutdown(Duration.ofSeconds(5))) {
        System.err.println(
            "pong: warning: some traces could not be exported to "
                + Telemetry.endpointDescription());
      }
    }
    return ExitCode.OK;
  }
}

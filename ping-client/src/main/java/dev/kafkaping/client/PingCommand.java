package dev.kafkaping.client;

import dev.kafkaping.cli.CommandRunner;
import dev.kafkaping.cli.ConnectionOptions;
import dev.kafkaping.cli.LogLevel;
import dev.kafkaping.cli.StopSignals;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.cli.VersionProvider;
import dev.kafkaping.message.WireFormat;
import dev.kafkaping.reply.ReplyConvention;
import dev.kafkaping.tracing.Telemetry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar ping.jar}: sends pings over Kafka and reports their round-trip times. */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description =
        "Sends a Ping on the ping topic and waits for the Pong with the same session id on the"
            + " pong topic, like ping(8). Tracing is configured with the standard OTEL_*"
            + " environment variables.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:at least one pong arrived; with -c and -w, all -c of them by the deadline",
      "1:no pong, fewer than -c by the -w deadline, or no pong server is running",
      "2:any other error: bad arguments, broker unreachable, authentication or authorisation"
          + " failed"
    })
public final class PingCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-c", "--count"},
      paramLabel = "N",
      description =
          "Pings to send; 0 = until stopped or the deadline (default: 1, or until the deadline"
              + " with -w).")
  Integer count;

  @Option(
      names = {"-i", "--interval"},
      defaultValue = "1",
      paramLabel = "SECONDS",
      description = "Wait between pings; 0 = back to back (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = {"-W", "--timeout"},
      defaultValue = "15",
      paramLabel = "SECONDS",
      description = "How long to wait for each pong (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = {"-w", "--deadline"},
      paramLabel = "SECONDS",
      description = "Stop after this long, whatever the count.")
  Duration deadline;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the summary.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print sequence, offset and trace id.")
  boolean verbose;

  @Option(names = "--json", description = "One JSON object per reply, then a JSON summary.")
  boolean json;

  @Option(
      names = "--ping-topic",
      defaultValue = "ping",
      paramLabel = "TOPIC",
      description = "Topic to send pings to (default: ${DEFAULT-VALUE}).")
  String pingTopic;

  @Option(
      names = "--pong-topic",
      defaultValue = "pong",
      paramLabel = "TOPIC",
      description =
          "Topic to read pongs from, and the reply topic with --reply-convention (default:"
              + " ${DEFAULT-VALUE}).")
  String pongTopic;

  @Option(
      names = "--reply-convention",
      paramLabel = "spring|smallrye",
      description =
          "Probe any request/reply service: send each ping with this convention's reply headers"
              + " (a new correlation id each, --pong-topic as the reply topic) and match replies"
              + " by correlation id, whatever their body.")
  String replyConvention;

  @Option(
      names = "--payload",
      paramLabel = "TEXT|@FILE",
      description =
          "Request value with --reply-convention: TEXT itself, or @FILE for the bytes of FILE"
              + " (default: the ping envelope).")
  String payload;

  @Option(
      names = "--server-group",
      defaultValue = "pong-server",
      paramLabel = "GROUP",
      description =
          "Consumer group of the pong servers, for the responder check (default:"
              + " ${DEFAULT-VALUE}; with --reply-convention, checked only when given).")
  String serverGroup;

  @Option(
      names = "--no-responder-check",
      description = "Do not ask whether a pong server is running when the first pong is late.")
  boolean noResponderCheck;

  @Option(
      names = "--in-flight",
      defaultValue = "1",
      paramLabel = "N",
      description = "Pings kept outstanding at once, for load tests (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Partitions for topics created because they were missing (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--format",
      defaultValue = "json",
      paramLabel = "json|avro",
      description =
          "Wire format of the pings: json (the original's) or avro (Confluent wire format, needs"
              + " --schema-registry). Pongs are read in either (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--every-partition",
      description =
          "Send each ping to the next partition of the ping topic in turn (its pong comes back on"
              + " the same partition of the pong topic), and give round trips, loss and p50/p99"
              + " per partition with its leader: a canary for every broker that leads one.")
  boolean everyPartition;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    LogLevel.configure(args);
    System.exit(CommandRunner.commandLine(new PingCommand()).execute(args));
  }

  private static WireFormat wireFormat(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "json" -> WireFormat.JSON;
      case "avro" -> WireFormat.AVRO;
      default -> throw new UserError("--format must be json or avro, got '" + name + "'");
    };
  }

  private static Optional<ReplyConvention> convention(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Optional.of(
        switch (name.toLowerCase(Locale.ROOT)) {
          case "spring" -> ReplyConvention.SPRING;
          case "smallrye" -> ReplyConvention.SMALLRYE;
          default ->
              throw new UserError(
                  "--reply-convention must be spring or smallrye, got '" + name + "'");
        });
  }

  /**
   * The responder check asks whether kafka-ping's pong servers are there: a service answering under
   * a reply convention is none of them, unless the user names its group.
   */
  boolean responderCheck() {
    return !noResponderCheck
        && (replyConvention == null
            || spec.commandLine().getParseResult().hasMatchedOption("--server-group"));
  }

  @Override
  public Integer call() throws InterruptedException {
    PingConfig config =
        new PingConfig(
            connection.toConnection(),
            pingTopic,
            pongTopic,
            serverGroup,
            // As iputils: -w alone pings until the deadline.
            count != null ? count : deadline != null ? 0 : 1,
            interval,
            timeout,
            Optional.ofNullable(deadline),
            inFlight,
            partitions,
            responderCheck(),
            wireFormat(format),
            connection.toRegistry(),
            convention(replyConvention),
            Optional.ofNullable(payload).map(Payload::of),
            everyPartition);
    PrintWriter out = spec.commandLine().getOut();
    Telemetry telemetry = Telemetry.autoconfigure("ping");
    int exitCode;
    PingMetrics metrics = new PingMetrics(telemetry.meter(), config.pingTopic());
    try (PingClient client = PingClient.connect(config, telemetry.openTelemetry(), metrics)) {
      PingRun run =
          new PingRun(
              config,
              client.pinger(),
              new ReplyPrinter(out, AnswerKind.of(config.requestReply()), json, quiet, verbose),
              metrics,
              client.canary());
      StopSignals.install(run::stop);
      exitCode = run.run();
    } catch (RuntimeException | InterruptedException e) {
      // The error's own line says what went wrong: a warning about traces would be a second line.
      telemetry.shutdown(config.flushTimeout());
      throw e;
    }
    if (!telemetry.shutdown(config.flushTimeout())) {
      spec.commandLine()
          .getErr()
          .println(
              "ping: warning: traces could not be exported to " + Telemetry.endpointDescription());
      spec.commandLine().getErr().flush();
    }
    return exitCode;
  }
}

package dev.kafkaping.devkafka;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * How to run the development broker: one KRaft node acting as broker and controller on 127.0.0.1.
 *
 * @param port the client port; 0 picks a free one
 * @param dataDir where the log and metadata live; reused across restarts
 * @param partitions partitions of the topics created at start
 * @param topics topics to create at start if missing
 * @param scram when present, clients must authenticate with SCRAM-SHA-512 and ACLs apply
 */
public record BrokerSettings(
    int port, Path dataDir, int partitions, List<String> topics, Optional<ScramUsers> scram) {
  public static final List<String> DEFAULT_TOPICS = List.of("ping", "pong", "ping.DLT");

  /** Partitions of Kafka's offsets topic: one group coordinator each. */
  static final int OFFSETS_PARTITIONS = 5;

  public BrokerSettings(int port, Path dataDir, int partitions, List<String> topics) {
    this(port, dataDir, partitions, topics, Optional.empty());
  }

  public BrokerSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(scram, "scram");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    topics = List.copyOf(topics);
  }

  /** The broker configuration for the given resolved ports. */
  Properties serverProperties(int clientPort, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    scram.ifPresent(users -> users.secure(props, clientPort, controllerPort));
    props.put("log.dirs", dataDir.toAbsolutePath().toString());
    props.put("num.partitions", Integer.toString(partitions));
    // One node: every internal topic has one replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", Integer.toString(OFFSETS_PARTITIONS));
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // The default 3 s wait before every new group's first rebalance only slows a dev broker down.
    props.put("group.initial.rebalance.delay.ms", "0");
    // The 128 MiB default cleaner buffer would dominate a small heap.
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    // A broker killed (kill -9, a crash) is still registered when it starts again, and the
    // controller refuses its new registration until the old session has expired: with Kafka's 9 s
    // the restart took 12 s instead of 2.6 s. Heartbeats then come every 500 ms, not every 2 s.
    props.put("broker.session.timeout.ms", "3000");
    props.put("broker.heartbeat.interval.ms", "500");
    // Kafka logs an error for every controller event that takes over 2 s, which two busy cores
    // make happen; only a controller that hangs is news here.
    props.put("controller.performance.always.log.threshold.ms", "10000");
    return props;
  }

  /** The ACLs to grant once the topics exist; none without SASL or without such users. */
  Optional<PingPongAcls> pingPongAcls() {
    return scram
        .map(ScramUsers::pingPongUsers)
        .filter(users -> !users.isEmpty())
        .map(users -> new PingPongAcls(users, topics));
  }

  /** What an administrative client needs to talk to this broker (credentials when SASL is on). */
  Map<String, Object> adminClientProperties() {
    return scram.map(ScramUsers::adminClientProperties).orElse(Map.of());
  }
}

package dev.kafkaping.devkafka;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import kafka.server.StandardFaultHandlerFactory;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.server.ServerSocketFactory;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One KRaft node that is broker and controller in one process, put together as {@link
 * KafkaRaftServer} does (and Kafka's own KafkaClusterTestKit), but whose broker can stop while its
 * controller still votes: a cluster stops every broker while the controller quorum stands.
 */
final class CombinedServer {
  private final BrokerServer broker;
  private final ControllerServer controller;

  private CombinedServer(BrokerServer broker, ControllerServer controller) {
    this.broker = broker;
    this.controller = controller;
  }

  /** Reads the formatted data directory; nothing runs until {@link #startup}. */
  static CombinedServer create(KafkaConfig config) {
    Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> dirs =
        KafkaRaftServer.initializeLogDirs(
            config, LoggerFactory.getLogger(CombinedServer.class), "");
    MetaPropertiesEnsemble metaProperties = dirs._1();
    Metrics metrics =
        Server.initializeMetrics(config, Time.SYSTEM, metaProperties.clusterId().orElseThrow());
    SharedServer shared =
        new SharedServer(
            config,
            metaProperties,
            Time.SYSTEM,
            metrics,
            CompletableFuture.completedFuture(voters(config)),
            List.of(), // no controller.quorum.bootstrap.servers: the voters are static
            new StandardFaultHandlerFactory(),
            ServerSocketFactory.INSTANCE);
    return new CombinedServer(
        new BrokerServer(shared),
        new ControllerServer(shared, KafkaRaftServer.configSchema(), dirs._2()));
  }

  /**
   * The {@code id@host:port} entries of {@code controller.quorum.voters}. (Kafka's own parser is in
   * kafka-raft, which kafka_2.13 brings at run time only.)
   */
  private static Map<Integer, InetSocketAddress> voters(KafkaConfig config) {
    Map<Integer, InetSocketAddress> voters = new HashMap<>();
    for (String voter : config.getList("controller.quorum.voters")) {
      String[] idAndAddress = voter.split("@", 2);
      voters.put(
          Integer.parseInt(idAndAddress[0]),
          new InetSocketAddress(Utils.getHost(idAndAddress[1]), Utils.getPort(idAndAddress[1])));
    }
    return voters;
  }

  /** The controller first: the broker registers with it. */
  void startup() {
    controller.startup();
    broker.startup();
  }

  /**
   * Stops the broker: a controlled shutdown (its partitions led elsewhere, itself fenced), bounded
   * by {@code timeout}, then its logs closed cleanly. The controller goes on voting.
   */
  void stopBroker(Duration timeout) {
    broker.shutdown(timeout);
    broker.awaitShutdown();
  }

  /** Stops the controller; a Raft leader first resigns and waits up to 5 s for a successor. */
  void stopController() {
    controller.shutdown();
    controller.awaitShutdown();
  }
}

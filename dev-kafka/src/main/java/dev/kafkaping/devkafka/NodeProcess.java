package dev.kafkaping.devkafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One node of a cluster in its own process, run by the {@code --brokers 3} launcher ({@link
 * KafkaCluster}). It prints {@link #READY} once it serves. A {@link #STOP_BROKER} line on its
 * standard input stops its broker only, answered by {@link #BROKER_STOPPED}; SIGTERM, or the end of
 * its input (its launcher is gone, however that ended), stops the rest.
 */
final class NodeProcess {
  static final String READY = "node ready";
  static final String STOP_BROKER = "stop-broker";
  static final String BROKER_STOPPED = "broker stopped";

  /**
   * How long a controller stopping alone may take to hand its Raft leadership to the others. Kafka
   * waits 5 s, and then logs an error with a stack trace, when nobody is left to take it over.
   */
  private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(4);

  private enum Request {
    STOP_BROKER,
    STOP
  }

  private final ClusterLayout layout;
  private final int nodeId;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final AtomicBoolean serving = new AtomicBoolean();

  NodeProcess(ClusterLayout layout, int nodeId) {
    this.layout = layout;
    this.nodeId = nodeId;
  }

  /**
   * Runs the node until it is stopped. A stop before it serves ends the process at once: Kafka's
   * start waits for the other nodes without a deadline.
   *
   * @param stopSignals installs the handler of the signals that stop the node
   */
  int run(PrintWriter out, PrintWriter err, Consumer<Runnable> stopSignals, InputStream launcher)
      throws InterruptedException {
    stopSignals.accept(() -> request(Request.STOP));
    Thread.ofPlatform().daemon().name("launcher-requests").start(() -> readRequests(launcher));
    EmbeddedKafka node;
    try {
      node = EmbeddedKafka.startNode(layout, nodeId);
    } catch (Exception e) {
      err.println("kafka-dev: node " + nodeId + " cannot start: " + e.getMessage());
      return DevKafkaCommand.ERROR;
    }
    serving.set(true);
    out.println(READY);
    out.flush();
    if (requests.take() == Request.STOP_BROKER) {
      node.stopBroker();
      out.println(BROKER_STOPPED);
      out.flush();
      requests.take();
      // The whole cluster stops, brokers first: no controller is left to take the Raft leadership
      // over, and the metadata log needs no clean shutdown (Kafka recovers it at every start).
      return DevKafkaCommand.OK;
    }
    node.stopBroker();
    Thread.ofPlatform().daemon().name("controller-stop").start(node::close).join(HANDOVER_TIMEOUT);
    return DevKafkaCommand.OK;
  }

  private void request(Request request) {
    if (!serving.get()) {
      Runtime.getRuntime().halt(DevKafkaCommand.ERROR);
    }
    requests.add(request);
  }

  private void readRequests(InputStream launcher) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(launcher, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals(STOP_BROKER)) {
          request(Request.STOP_BROKER);
        }
      }
    } catch (IOException e) {
      // as good as the end
    }
    request(Request.STOP);
  }
}

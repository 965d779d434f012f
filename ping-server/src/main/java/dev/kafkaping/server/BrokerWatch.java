package dev.kafkaping.server;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an operator when the server has lost its group coordinator (the broker is gone or
 * unreachable) and when it has it again, from the consumer's own {@code last-heartbeat-seconds-ago}
 * metric: one line each way, even on an idle server with nothing to commit.
 */
final class BrokerWatch {
  private static final Logger log = LoggerFactory.getLogger(BrokerWatch.class);
  // Heartbeats go out every 1.5 s while the coordinator answers.
  static final Duration LOST_AFTER = Duration.ofSeconds(5);
  static final Duration BACK_WITHIN = Duration.ofSeconds(3);
  // Before its first heartbeat the metric counts from the epoch: not a loss.
  private static final double NEVER = 1e6;

  private final String bootstrapServers;
  private boolean connected = true;

  BrokerWatch(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Reads the consumer's heartbeat age from its metrics and logs a change. */
  void check(Map<MetricName, ? extends Metric> metrics) {
    for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
      if (metric.getKey().name().equals("last-heartbeat-seconds-ago")
          && metric.getValue().metricValue() instanceof Number seconds) {
        update(seconds.doubleValue());
        return;
      }
    }
  }

  /** Logs the transitions between a silent coordinator and an answering one. */
  void update(double secondsSinceHeartbeat) {
    if (secondsSinceHeartbeat >= NEVER) {
      return;
    }
    if (connected && secondsSinceHeartbeat > LOST_AFTER.toSeconds()) {
      connected = false;
      log.warn(
          "lost the broker: no heartbeat answered for {} s via {}; retrying (pings wait,"
              + " nothing is committed meanwhile)",
          Math.round(secondsSinceHeartbeat),
          bootstrapServers);
    } else if (!connected && secondsSinceHeartbeat < BACK_WITHIN.toSeconds()) {
      connected = true;
      log.info("reconnected to the broker via {}: heartbeats are answered again", bootstrapServers);
    }
  }

  boolean connected() {
    return connected;
  }
}

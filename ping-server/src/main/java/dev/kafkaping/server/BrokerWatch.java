package dev.kafkaping.server;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an operator when no broker answers the server any more and when one does again: one line
 * each way, even on an idle server with nothing to commit. It asks the cluster itself, with its own
 * admin client, rather than reading the consumer's heartbeats: those also pause while the group
 * rebalances (when a peer server dies, say), which is no broker loss, and a broker that stops
 * cleanly is noticed just the same.
 */
final class BrokerWatch {
  private static final Logger log = LoggerFactory.getLogger(BrokerWatch.class);
  static final Duration LOST_AFTER = Duration.ofSeconds(5);
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  private final String bootstrapServers;
  private long lastAnswer;
  private volatile boolean connected = true;

  BrokerWatch(String bootstrapServers, long nowNanos) {
    this.bootstrapServers = bootstrapServers;
    this.lastAnswer = nowNanos;
  }

  /** Asks the cluster once (at most {@link #CHECK_TIMEOUT}) and logs a change. */
  void check(Admin admin) {
    try {
      update(answers(admin), System.nanoTime());
    } catch (InterruptedException e) {
      // The server is stopping: an unfinished check says nothing about the broker.
      Thread.currentThread().interrupt();
    }
  }

  /** Any answer counts, even a refusal: only silence means the broker is gone. */
  private static boolean answers(Admin admin) throws InterruptedException {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
          .clusterId()
          .get(CHECK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return !(e.getCause() instanceof RetriableException); // given up on while retrying
    } catch (TimeoutException e) {
      return false;
    } catch (RuntimeException e) {
      // A throwing check would end the scheduled watch for good; count it as no answer instead.
      return false;
    }
  }

  /** Logs the transitions between a silent cluster and an answering one. */
  void update(boolean answered, long nowNanos) {
    if (answered) {
      lastAnswer = nowNanos;
      if (!connected) {
        connected = true;
        log.info("reconnected to the broker via {}: it answers again", bootstrapServers);
      }
      return;
    }
    long silentNanos = nowNanos - lastAnswer;
    if (connected && silentNanos >= LOST_AFTER.toNanos()) {
      connected = false;
      log.warn(
          "lost the broker: no answer for {} s via {}; retrying (pings wait, nothing is committed"
              + " meanwhile)",
          TimeUnit.NANOSECONDS.toSeconds(silentNanos),
          bootstrapServers);
    }
  }

  boolean connected() {
    return connected;
  }
}

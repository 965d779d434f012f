package dev.kafkaping.client;

import dev.kafkaping.cli.CommandRunner;
import dev.kafkaping.cli.UserError;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks whether a pong server is there only when the first pong is late: a run that gets its pong in
 * time never builds an admin client. When the server's group turns out to have no members, every
 * waiting ping ends at once with "no pong server is running" (exit 1).
 */
final class LateResponderCheck implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LateResponderCheck.class);

  /** How long the first pong may take before the check runs. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private static final Duration CLOSE_WAIT = Duration.ofMillis(100);

  private final Thread thread;

  private LateResponderCheck(Thread thread) {
    this.thread = thread;
  }

  static LateResponderCheck start(PingConfig config, PendingPongs pending) {
    // A third of the real wait for a pong (-W, or -w when the run is shorter), as before.
    Duration bound = config.sendTimeout().dividedBy(3);
    Duration grace = GRACE.compareTo(bound) < 0 ? GRACE : bound;
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("responder-check")
            .start(() -> checkIfLate(config, pending, grace, bound));
    return new LateResponderCheck(thread);
  }

  private static void checkIfLate(
      PingConfig config, PendingPongs pending, Duration grace, Duration bound) {
    try {
      if (pending.awaitFirstPong(grace)) {
        return;
      }
      Admin admin = Admin.create(KafkaSettings.admin(config));
      try {
        ResponderCheck.requireMembers(admin, config.serverGroup(), bound);
      } finally {
        admin.close(CLOSE_WAIT);
      }
    } catch (UserError noServer) {
      pending.failAllUnlessAnswered(noServer);
    } catch (InterruptedException e) {
      // the run is over
    } catch (RuntimeException e) {
      UserError setting = CommandRunner.asUserError(e); // e.g. a -X setting only Admin rejects
      if (setting != null) {
        pending.failAll(setting);
      } else {
        log.debug("skipping the responder check", e);
      }
    }
  }

  /** The run is over: a check still under way is of no use any more. */
  @Override
  public void close() {
    thread.interrupt();
  }
}

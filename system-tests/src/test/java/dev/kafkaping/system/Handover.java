package dev.kafkaping.system;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows partitions from one pong server to the others through their logs, timed by the servers'
 * own clocks: each log line starts with its time of day, so a loaded machine that is slow to
 * deliver a line to the test does not stretch the figure.
 */
final class Handover {
  private static final String ASSIGNED = "partitions assigned: [";
  private static final String REVOKED = "partitions revoked: [";
  private static final String LOST = "partitions lost (";

  /** How many lines each of the other servers had logged before the handover began. */
  record Before(List<JavaProcess> others, List<Integer> lines) {}

  private Handover() {}

  static Before mark(List<JavaProcess> others) {
    return new Before(others, others.stream().map(server -> server.stderr().size()).toList());
  }

  /**
   * The partitions {@code server} owned at its last line: every assignment it logged, less every
   * revocation and loss.
   */
  static Set<String> owned(JavaProcess server) {
    Set<String> owned = new LinkedHashSet<>();
    for (String line : server.stderr()) {
      if (line.contains(ASSIGNED)) {
        owned.addAll(partitions(line));
      } else if (line.contains(REVOKED) || line.contains(LOST)) {
        owned.removeAll(partitions(line));
      }
    }
    return owned;
  }

  /** The partitions {@code server} handed over in the revocations it logged after {@code text}. */
  static Set<String> revokedAfter(JavaProcess server, String text) {
    List<String> lines = server.stderr();
    Set<String> revoked = new LinkedHashSet<>();
    boolean after = false;
    for (String line : lines) {
      after |= line.contains(text);
      if (after && line.contains(REVOKED)) {
        revoked.addAll(partitions(line));
      }
    }
    return revoked;
  }

  /**
   * Waits until the other servers have logged, since {@code before} and not before {@code from},
   * the assignment of every one of {@code partitions}; returns the time of day the last of them was
   * logged.
   */
  static LocalTime awaitTakenOver(
      Before before, Set<String> partitions, LocalTime from, Duration timeout) {
    if (partitions.isEmpty()) {
      throw new AssertionError("no partitions to follow: the server owned none");
    }
    Await.until(
        "the other servers assigned " + partitions,
        timeout,
        () -> takenOver(before, from).keySet().containsAll(partitions));
    Map<String, LocalTime> taken = takenOver(before, from);
    return partitions.stream()
        .map(taken::get)
        .reduce((a, b) -> between(a, b).compareTo(Duration.ofHours(12)) < 0 ? b : a)
        .orElseThrow();
  }

  /**
   * Each partition the others were assigned since {@code before}, with when that was logged;
   * assignments logged before {@code from} (up to 12 h, across midnight) do not count.
   */
  private static Map<String, LocalTime> takenOver(Before before, LocalTime from) {
    Map<String, LocalTime> taken = new HashMap<>();
    for (int i = 0; i < before.others().size(); i++) {
      List<String> lines = before.others().get(i).stderr();
      for (String line : lines.subList(before.lines().get(i), lines.size())) {
        if (line.contains(ASSIGNED)) {
          LocalTime at = loggedAt(line);
          if (between(from, at).compareTo(Duration.ofHours(12)) < 0) {
            partitions(line).forEach(partition -> taken.putIfAbsent(partition, at));
          }
        }
      }
    }
    return taken;
  }

  /** {@code ... partitions assigned: [ping-1a2b-0, ping-1a2b-2]} → the two partitions. */
  private static List<String> partitions(String line) {
    int open = line.indexOf('[');
    int close = line.indexOf(']', open);
    return new ArrayList<>(
        Arrays.stream(line.substring(open + 1, close).split(","))
            .map(String::strip)
            .filter(partition -> !partition.isEmpty())
            .toList());
  }

  /** The time of day a server logged {@code line} at, e.g. {@code 11:58:35.056 INFO ...}. */
  static LocalTime loggedAt(String line) {
    return LocalTime.parse(line.substring(0, line.indexOf(' ')));
  }

  /** The time of day of the first line of {@code server} that contains {@code text}. */
  static LocalTime firstLoggedAt(JavaProcess server, String text) {
    return server.stderr().stream()
        .filter(line -> line.contains(text))
        .findFirst()
        .map(Handover::loggedAt)
        .orElseThrow(() -> new AssertionError(server.name() + " never logged '" + text + "'"));
  }

  /** Between two times of day, across midnight if need be. */
  static Duration between(LocalTime from, LocalTime to) {
    Duration gap = Duration.between(from, to);
    return gap.isNegative() ? gap.plusDays(1) : gap;
  }
}

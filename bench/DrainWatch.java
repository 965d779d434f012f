import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches responders drain a backlog from outside: reads the end offsets of their pong topic every
 * 25 ms (one light Admin call, so the watcher steals no CPU worth mentioning) until N pongs are
 * there, then prints "RATE SECONDS": the rate between the 20th and the 90th percent of the pongs,
 * which leaves out start-up (JVMs, joining the group, rebalancing when several start) and the tail,
 * alike for every responder. The moments the 20 % and 90 % marks were passed are interpolated
 * between two readings, so that a drain of one second is not measured in steps of the interval.
 * SECONDS is from the first pong to the last. With SERIES_FILE, every reading also goes there as
 * "SECONDS PONGS" (the drain curve of the plots), in seconds since its first reading, after which
 * it prints "watching" on standard error: start the responders then. The pong topic must exist.
 * Usage: java -cp CP bench/DrainWatch.java BOOTSTRAP TOPIC N TIMEOUT_S [SERIES_FILE]
 */
public class DrainWatch {
  public static void main(String[] args) throws Exception {
    System.exit(watch(args));
  }

  private static int watch(String[] args) throws Exception {
    String topic = args[1];
    long wanted = Long.parseLong(args[2]);
    if (wanted < 10) {
      System.err.println("DrainWatch: N must be at least 10");
      return 2;
    }
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]));
        PrintWriter series =
            new PrintWriter(
                args.length > 4 ? Files.newBufferedWriter(Path.of(args[4])) : Writer.nullWriter())) {
      Map<TopicPartition, OffsetSpec> ends =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
              .collect(
                  Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      long started = System.nanoTime();
      long before = pongs(admin, ends); // pongs already there are not this drain's
      System.err.println("watching");
      double firstSeen = -1;
      double lastTime = 0;
      long lastCount = 0;
      double from = -1;
      double to = -1;
      long fromMark = wanted / 5;
      long toMark = wanted * 9 / 10;
      while (System.nanoTime() < deadline) {
        long count = pongs(admin, ends) - before;
        double time = (System.nanoTime() - started) / 1e9;
        series.printf(Locale.ROOT, "%.3f %d%n", time, count);
        if (count > 0 && firstSeen < 0) {
          firstSeen = time;
        }
        if (count >= fromMark && from < 0) {
          from = passed(fromMark, lastTime, lastCount, time, count);
        }
        if (count >= toMark && to < 0) {
          to = passed(toMark, lastTime, lastCount, time, count);
        }
        if (count >= wanted) {
          System.out.printf(
              Locale.ROOT, "%.0f %.2f%n", (toMark - fromMark) / (to - from), time - firstSeen);
          return 0;
        }
        lastTime = time;
        lastCount = count;
        Thread.sleep(25);
      }
      System.err.println("DrainWatch: " + wanted + " pongs not there within " + args[3] + " s");
      return 1;
    }
  }

  /** When the count passed {@code mark}, between a reading below it and one at or above it. */
  private static double passed(long mark, double t0, long c0, double t1, long c1) {
    return c1 == c0 ? t1 : t0 + (t1 - t0) * (mark - c0) / (double) (c1 - c0);
  }

  private static long pongs(Admin admin, Map<TopicPartition, OffsetSpec> ends) throws Exception {
    return admin.listOffsets(ends).all().get().values().stream().mapToLong(info -> info.offset()).sum();
  }
}

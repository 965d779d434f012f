import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches responders drain a backlog from outside: polls the end offsets of their pong topic every
 * 100 ms (one light Admin call, so the watcher steals no CPU worth mentioning) until N pongs are
 * there, then prints "RATE SECONDS": the rate between the 20th and the 90th percent of the pongs,
 * which leaves out start-up (JVMs, joining the group, rebalancing when several start) and the tail,
 * alike for every responder. SECONDS is from the first pong to the last. With SERIES_FILE, every
 * reading also goes there as "SECONDS PONGS" (the drain curve of the plots), in seconds since its
 * first reading, after which it prints "watching" on standard error: start the responders then.
 * Usage: java -cp CP bench/DrainWatch.java BOOTSTRAP TOPIC N TIMEOUT_S [SERIES_FILE]
 */
public class DrainWatch {
  public static void main(String[] args) throws Exception {
    String topic = args[1];
    long wanted = Long.parseLong(args[2]);
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]));
        PrintWriter series =
            new PrintWriter(
                args.length > 4 ? Files.newBufferedWriter(Path.of(args[4])) : Writer.nullWriter())) {
      long firstSeen = 0;
      long fromNanos = 0;
      long fromCount = 0;
      long toNanos = 0;
      long toCount = 0;
      pongs(admin, topic); // the first Admin call connects: not a part of the drain's time
      long started = System.nanoTime();
      System.err.println("watching");
      while (System.nanoTime() < deadline) {
        long count = pongs(admin, topic);
        long now = System.nanoTime();
        series.printf("%.2f %d%n", (now - started) / 1e9, count);
        if (count > 0 && firstSeen == 0) {
          firstSeen = now;
        }
        if (count >= wanted / 5 && fromNanos == 0) {
          fromNanos = now;
          fromCount = count;
        }
        if (count >= wanted * 9 / 10 && toNanos == 0) {
          toNanos = now;
          toCount = count;
        }
        if (count >= wanted) {
          double middle = Math.max(1e-3, (toNanos - fromNanos) / 1e9);
          System.out.printf(
              "%.0f %.2f%n", (toCount - fromCount) / middle, (now - firstSeen) / 1e9);
          return;
        }
        Thread.sleep(100);
      }
      System.out.println("0 timeout");
      System.exit(1);
    }
  }

  private static long pongs(Admin admin, String topic) throws Exception {
    if (!admin.listTopics().names().get().contains(topic)) {
      return 0;
    }
    List<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    return admin
        .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
        .all()
        .get()
        .values()
        .stream()
        .mapToLong(info -> info.offset())
        .sum();
  }
}

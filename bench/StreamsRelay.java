import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The peer of pong.jar in bench/run: the few lines of Kafka Streams a Kafka user would write for a
 * ping responder, at Streams' shipped defaults (at-least-once). Bench only; never in a shipped jar.
 * Usage: java -cp <kafka-streams classpath> bench/StreamsRelay.java BOOTSTRAP PING PONG APP_ID
 */
public class StreamsRelay {
  private static final Pattern SESSION = Pattern.compile("\"session_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

  public static void main(String[] args) throws InterruptedException {
    Properties config = new Properties();
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, args[3]);
    config.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/" + args[3]);
    config.put("consumer.auto.offset.reset", "earliest");
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(args[1], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .mapValues(StreamsRelay::pong)
        .to(args[2], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    KafkaStreams streams = new KafkaStreams(builder.build(), config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close();
      stopped.countDown();
    }));
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        System.out.println("streams relay running");
      }
    });
    streams.start();
    stopped.await();
  }

  private static byte[] pong(byte[] ping) {
    Matcher session = SESSION.matcher(new String(ping, StandardCharsets.UTF_8));
    String id = session.find() ? session.group(1) : "";
    return ("{\"session_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}

package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose file's {@code kafka} service, run the way the apache/kafka image runs it but in this
 * JVM: its environment becomes server.properties, the image's format command formats the storage
 * with its CLUSTER_ID, and a KRaft server starts from that file. The only changes: free ports for
 * the container's, 127.0.0.1 for its own hostname and for all interfaces, a temp dir for the data.
 */
class ComposeKafkaIT {
  private static final Pattern ADDRESS = Pattern.compile("(?<=//|@)([^:,/@]*):(\\d+)");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void shouldServeARoundTripWhenTheKafkaServiceStartsAsInTheContainer(@TempDir Path work)
      throws Exception {
    Map<String, String> environment = ComposeFile.load().environment("kafka");
    Properties properties = ImageEnvironment.serverProperties(environment);
    Map<Integer, Integer> ports = new HashMap<>();
    for (String key : List.of("listeners", "advertised.listeners", "controller.quorum.voters")) {
      properties.setProperty(key, onThisHost(properties.getProperty(key), ports));
    }
    properties.setProperty("log.dirs", work.resolve("data").toString());
    List<String> lines = new ArrayList<>();
    properties.forEach((key, value) -> lines.add(key + "=" + value));
    Path config = Files.write(work.resolve("server.properties"), lines);

    ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
    int formatted =
        StorageTool.execute(
            ImageEnvironment.formatCommand(work, environment).toArray(String[]::new),
            new PrintStream(formatOutput, true, StandardCharsets.UTF_8));
    assertThat(formatted).as(formatOutput.toString(StandardCharsets.UTF_8)).isZero();

    KafkaRaftServer server =
        new KafkaRaftServer(KafkaConfig.fromProps(Utils.loadProps(config.toString())), Time.SYSTEM);
    server.startup();
    try {
      String external = "localhost:" + ports.get(9092);
      String internal = "127.0.0.1:" + ports.get(29092);
      try (Admin admin = Admin.create(clientConfig(internal))) {
        assertThat(admin.describeCluster().clusterId().get())
            .isEqualTo(environment.get("CLUSTER_ID"));
        // What kafka-init does, through the listener the other containers use.
        admin
            .createTopics(List.of(new NewTopic("ping", Optional.of(3), Optional.of((short) 1))))
            .all()
            .get();
      }
      assertThat(roundTrip(external, new TopicPartition("ping", 2))).containsExactly("hello");
    } finally {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /** Rewrites each {@code host:port} of a listener setting for this machine. */
  private static String onThisHost(String value, Map<Integer, Integer> ports) {
    Matcher address = ADDRESS.matcher(value);
    StringBuilder result = new StringBuilder();
    while (address.find()) {
      // "kafka" is the container's own name; an empty host means all its interfaces.
      String host = address.group(1);
      String local = host.isEmpty() || host.equals("kafka") ? "127.0.0.1" : host;
      int port = ports.computeIfAbsent(Integer.parseInt(address.group(2)), p -> LocalPorts.free());
      address.appendReplacement(result, local + ":" + port);
    }
    return address.appendTail(result).toString();
  }

  private static Map<String, Object> clientConfig(String bootstrap) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return config;
  }

  /** Produces one record to the partition and reads it back, as a client on the host would. */
  private static List<String> roundTrip(String bootstrap, TopicPartition partition)
      throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            clientConfig(bootstrap), new StringSerializer(), new StringSerializer())) {
      producer
          .send(new ProducerRecord<>(partition.topic(), partition.partition(), "key", "hello"))
          .get();
    }
    Map<String, Object> config = clientConfig(bootstrap);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      return values;
    }
  }
}

package dev.kafkaping.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A third-party view of the topics: plain Kafka clients that speak the wire format by hand, so that
 * tests do not depend on this project's codec.
 */
final class Wire implements AutoCloseable {
  final String bootstrap;
  final String pingTopic;
  final String pongTopic;
  final String group;
  private final KafkaProducer<byte[], byte[]> producer;

  /** Fresh topics and a fresh group, so tests never see each other's records. */
  Wire(String bootstrap) throws ExecutionException, InterruptedException {
    this.bootstrap = bootstrap;
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    this.pingTopic = "ping-" + suffix;
    this.pongTopic = "pong-" + suffix;
    this.group = "pong-server-" + suffix;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(pingTopic, Optional.of(3), Optional.empty()),
                  new NewTopic(pongTopic, Optional.of(3), Optional.empty()),
                  new NewTopic(pingTopic + ".DLT", Optional.of(3), Optional.empty())))
          .all()
          .get();
    }
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                0),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Server arguments that point a pong server at this test's topics and group. With a 60 s start-up
   * bound instead of the default 10 s: with a second build on the same two cores, the broker once
   * took longer than 10 s to answer a starting server's first request (the default's own refusal is
   * tested apart, in PongServerIT, and its default in PongCommandTest).
   */
  List<String> serverArgs(String... more) {
    List<String> args = new ArrayList<>(List.of("--startup-timeout", "60s"));
    args.addAll(List.of(more));
    return args("--group", args.toArray(String[]::new));
  }

  /** Client arguments that point ping at this test's topics and server group. */
  List<String> clientArgs(String... more) {
    return args("--server-group", more);
  }

  private List<String> args(String groupOption, String... more) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("-b", bootstrap, "--ping-topic", pingTopic, "--pong-topic", pongTopic));
    args.addAll(List.of(groupOption, group));
    args.addAll(List.of(more));
    return args;
  }

  /** Starts a pong server on this test's topics and waits until it owns partitions. */
  JavaProcess startServer(String name, Map<String, String> env) throws InterruptedException {
    JavaProcess server = JavaProcess.start(name, Jars.PONG, serverArgs(), env);
    server.awaitLine(line -> line.contains("partitions assigned"), Duration.ofSeconds(90));
    return server;
  }

  static String pingJson(UUID session) {
    return "{\"context\":{},\"body\":{\"session_id\":\"" + session + "\"}}";
  }

  /** Produces a ping the way the original Rust client did: key = session id, JSON envelope. */
  void sendPing(UUID session) throws ExecutionException, InterruptedException {
    send(
        pingTopic,
        session.toString().getBytes(StandardCharsets.UTF_8),
        pingJson(session).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends this many pings in the original shape; returns their session ids in order. */
  List<String> sendPings(int count) throws ExecutionException, InterruptedException {
    return sendPings(count, session -> pingJson(session).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends this many pings keyed by fresh session ids, each valued as {@code value} makes it. */
  List<String> sendPings(int count, Function<UUID, byte[]> value)
      throws ExecutionException, InterruptedException {
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID session = UUID.randomUUID();
      sessions.add(session.toString());
      send(pingTopic, session.toString().getBytes(StandardCharsets.UTF_8), value.apply(session));
    }
    return sessions;
  }

  /** Queues this many pings in the original shape at once, faster than one by one. */
  void queuePings(int count) {
    for (int i = 0; i < count; i++) {
      UUID session = UUID.randomUUID();
      producer.send(
          new ProducerRecord<>(
              pingTopic,
              session.toString().getBytes(StandardCharsets.UTF_8),
              pingJson(session).getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  void send(String topic, byte[] key, byte[] value)
      throws ExecutionException, InterruptedException {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  void send(ProducerRecord<byte[], byte[]> record) throws ExecutionException, InterruptedException {
    producer.send(record).get();
  }

  /**
   * Reads a topic from the beginning until {@code done} is satisfied by all records read so far.
   */
  List<ConsumerRecord<byte[], byte[]>> readUntil(
      String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = fromTheBeginning(consumer, topic);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(records)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "condition on "
                  + topic
                  + " not met within "
                  + timeout
                  + " ("
                  + records.size()
                  + " records read)");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** Everything currently in a topic. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = fromTheBeginning(consumer, topic);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static List<TopicPartition> fromTheBeginning(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Session ids of the pongs among the records, in order, duplicates kept. */
  static List<String> pongSessions(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> text(r.key())).toList();
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            2000),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }
}

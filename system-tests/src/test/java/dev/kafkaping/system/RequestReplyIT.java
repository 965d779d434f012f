package dev.kafkaping.system;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.messaging.handler.annotation.SendTo;

/**
 * Request/reply with other people's clients and services: a real Spring {@code
 * ReplyingKafkaTemplate} against {@code pong.jar}, {@code ping.jar} against a real Spring
 * {@code @KafkaListener} + {@code @SendTo} service, SmallRye's header names, and bad reply headers.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RequestReplyIT {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final Duration REPLY = Duration.ofSeconds(30);
  private static Wire wire;
  private static JavaProcess server;
  private static String replyTopic;

  @BeforeAll
  static void startServer(KafkaBroker broker) throws Exception {
    wire = new Wire(broker.bootstrapServers());
    replyTopic = wire.pingTopic + "-replies";
    createTopics(replyTopic);
    server = wire.startServer("pong", Map.of());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (wire != null) {
      wire.close();
    }
  }

  private static void createTopics(String... names) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, wire.bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, 3, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
  }

  static Map<String, Object> producerProps() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        wire.bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        StringSerializer.class,
        ProducerConfig.LINGER_MS_CONFIG,
        0);
  }

  static Map<String, Object> consumerProps(String group) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        wire.bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG,
        group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "latest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class);
  }

  /** Spring's requesting side, with what it needs closed afterwards. */
  private record SpringClient(
      ReplyingKafkaTemplate<String, String, String> template,
      DefaultKafkaProducerFactory<String, String> producers)
      implements AutoCloseable {

    /** With a partition, the reply container is assigned to that partition alone. */
    static SpringClient start(Integer pinnedPartition, boolean binaryCorrelation)
        throws InterruptedException {
      ContainerProperties properties =
          pinnedPartition == null
              ? new ContainerProperties(replyTopic)
              : new ContainerProperties(
                  new TopicPartitionOffset(
                      replyTopic, pinnedPartition, TopicPartitionOffset.SeekPosition.END));
      properties.setGroupId("spring-client-" + UUID.randomUUID());
      KafkaMessageListenerContainer<String, String> replies =
          new KafkaMessageListenerContainer<>(
              new DefaultKafkaConsumerFactory<>(consumerProps("unused")), properties);
      DefaultKafkaProducerFactory<String, String> producers =
          new DefaultKafkaProducerFactory<>(producerProps());
      ReplyingKafkaTemplate<String, String, String> template =
          new ReplyingKafkaTemplate<>(producers, replies);
      template.setBinaryCorrelation(binaryCorrelation);
      template.setSharedReplyTopic(true); // other tests' replies on the topic are not errors
      template.start();
      SpringClient client = new SpringClient(template, producers);
      if (!template.waitForAssignment(RUN)) {
        client.close();
        throw new AssertionError("Spring's reply container was not assigned within " + RUN);
      }
      return client;
    }

    @Override
    public void close() {
      template.stop();
      template.destroy();
      producers.destroy();
    }
  }

  private static List<ConsumerRecord<String, String>> sendPings(SpringClient client, int count)
      throws Exception {
    List<ConsumerRecord<String, String>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID session = UUID.randomUUID();
      ConsumerRecord<String, String> reply =
          client
              .template()
              .sendAndReceive(
                  new ProducerRecord<>(wire.pingTopic, session.toString(), Wire.pingJson(session)),
                  REPLY)
              .get(REPLY.toSeconds(), TimeUnit.SECONDS); // matched by Spring itself
      assertThat(reply.value()).contains(session.toString());
      assertThat(reply.key()).isEqualTo(session.toString());
      replies.add(reply);
    }
    return replies;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void shouldAnswerEveryPingOfAReplyingKafkaTemplate(boolean binaryCorrelation) throws Exception {
    try (SpringClient client = SpringClient.start(null, binaryCorrelation)) {
      Set<String> sessions =
          sendPings(client, 50).stream().map(ConsumerRecord::key).collect(Collectors.toSet());
      assertThat(sessions).hasSize(50);
      // Counted from the topics: each of these pings against the replies carrying its key.
      Ledger ledger =
          Ledger.of(
                  ofSessions(wire.readAll(wire.pingTopic), sessions),
                  ofSessions(wire.readAll(replyTopic), sessions))
              .print(
                  "RR Spring ReplyingKafkaTemplate, "
                      + (binaryCorrelation ? "binary" : "string")
                      + " correlation: 50 pings");
      assertThat(ledger.answered()).isEqualTo(50);
      assertThat(ledger.duplicated()).isZero();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> ofSessions(
      List<ConsumerRecord<byte[], byte[]>> records, Set<String> sessions) {
    return records.stream().filter(r -> sessions.contains(Wire.text(r.key()))).toList();
  }

  @Test
  void shouldAnswerOnThePinnedReplyPartition() throws Exception {
    try (SpringClient client = SpringClient.start(2, true)) {
      assertThat(sendPings(client, 20))
          .allSatisfy(reply -> assertThat(reply.partition()).isEqualTo(2));
    }
  }

  @Test
  void shouldContinueTheTraceOfTheSpringClient() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    try (SpringClient client = SpringClient.start(null, true)) {
      UUID session = UUID.randomUUID();
      ProducerRecord<String, String> request =
          new ProducerRecord<>(wire.pingTopic, session.toString(), Wire.pingJson(session));
      // What Micrometer tracing's Kafka instrumentation puts on a Spring client's request.
      request
          .headers()
          .add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(UTF_8));
      ConsumerRecord<String, String> reply =
          client.template().sendAndReceive(request, REPLY).get(REPLY.toSeconds(), TimeUnit.SECONDS);
      Header traceparent = reply.headers().lastHeader("traceparent");
      assertThat(traceparent).as("the pong's trace context").isNotNull();
      assertThat(new String(traceparent.value(), UTF_8)).startsWith("00-" + traceId + "-");
    }
  }

  /** A Spring service that answers any request upper-cased, on the topic the request names. */
  @Configuration
  @EnableKafka
  public static class UpperCaseService {
    @Bean
    public ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
      ConcurrentKafkaListenerContainerFactory<String, String> factory =
          new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumerProps("upper-service")));
      factory.setReplyTemplate(new KafkaTemplate<>(replyProducers()));
      return factory;
    }

    /** A bean, so that closing the context closes its producers. */
    @Bean
    public DefaultKafkaProducerFactory<String, String> replyProducers() {
      return new DefaultKafkaProducerFactory<>(producerProps());
    }

    @Bean
    public Listener listener() {
      return new Listener();
    }

    public static class Listener {
      @KafkaListener(id = "upper", topics = "${interop.requests}")
      @SendTo
      public String upper(String request) {
        return request.toUpperCase(Locale.ROOT);
      }
    }
  }

  @Test
  void shouldProbeASpringSendToServiceWithPing() throws Exception {
    String requests = wire.pingTopic + "-upper";
    String replies = wire.pingTopic + "-upper-replies";
    createTopics(requests, replies);
    System.setProperty("interop.requests", requests);
    try (AnnotationConfigApplicationContext service =
        new AnnotationConfigApplicationContext(UpperCaseService.class)) {
      Await.until(
          "the Spring service's partitions assigned",
          RUN,
          () -> {
            Collection<TopicPartition> assigned =
                service
                    .getBean(KafkaListenerEndpointRegistry.class)
                    .getListenerContainer("upper")
                    .getAssignedPartitions();
            return assigned != null && assigned.size() == 3;
          });
      try (JavaProcess ping =
          JavaProcess.start(
              "ping-spring",
              Jars.PING,
              List.of(
                  "-b",
                  wire.bootstrap,
                  "--ping-topic",
                  requests,
                  "--pong-topic",
                  replies,
                  "--reply-convention",
                  "spring",
                  "--payload",
                  "hello spring",
                  "-c",
                  "20",
                  "-i",
                  "0"),
              Map.of())) {
        assertThat(ping.awaitExit(RUN)).isZero();
        assertThat(ping.stdout())
            .anyMatch(line -> line.startsWith("20 pings transmitted, 20 received, 0% loss"));
      }
    }
  }

  @Test
  void shouldAnswerSmallRyeRequestsOnTheirTopicAndPartitionWithTheIdCopiedBack() throws Exception {
    UUID session = UUID.randomUUID();
    byte[] correlationId = UUID.randomUUID().toString().getBytes(UTF_8); // SmallRye's default
    ProducerRecord<byte[], byte[]> request =
        new ProducerRecord<>(
            wire.pingTopic, "smallrye-key".getBytes(UTF_8), Wire.pingJson(session).getBytes(UTF_8));
    request.headers().add("REPLY_TOPIC", replyTopic.getBytes(UTF_8));
    request.headers().add("REPLY_CORRELATION_ID", correlationId);
    request.headers().add("REPLY_PARTITION", ByteBuffer.allocate(4).putInt(1).array());
    wire.send(request);

    ConsumerRecord<byte[], byte[]> reply =
        wire
            .readUntil(replyTopic, records -> carrying(records, correlationId).isPresent(), RUN)
            .stream()
            .filter(r -> carrying(List.of(r), correlationId).isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(reply.partition()).isEqualTo(1);
    assertThat(new String(reply.key(), UTF_8)).isEqualTo("smallrye-key");
    assertThat(new String(reply.value(), UTF_8)).contains(session.toString());
    // SmallRye takes a record carrying REPLY_TOPIC for a request, not a reply.
    assertThat(reply.headers().lastHeader("REPLY_TOPIC")).isNull();
  }

  private static Optional<ConsumerRecord<byte[], byte[]>> carrying(
      List<ConsumerRecord<byte[], byte[]>> records, byte[] correlationId) {
    return records.stream()
        .filter(
            r -> {
              Header id = r.headers().lastHeader("REPLY_CORRELATION_ID");
              return id != null && Arrays.equals(id.value(), correlationId);
            })
        .findFirst();
  }

  @Test
  void shouldDeadLetterEachBadReplyRouteWithItsReasonAndKeepAnswering() throws Exception {
    byte[] id = UUID.randomUUID().toString().getBytes(UTF_8);
    Map<String, ProducerRecord<byte[], byte[]>> bad = new LinkedHashMap<>();
    bad.put("without a kafka_correlationId", request(replyTopic, new byte[0], null));
    bad.put("kafka_correlationId of 300 bytes", request(replyTopic, new byte[300], null));
    bad.put("must be a 4-byte big-endian int", request(replyTopic, id, new byte[] {0, 1}));
    bad.put(
        "kafka_replyPartition 7 does not exist",
        request(replyTopic, id, ByteBuffer.allocate(4).putInt(7).array()));
    bad.put("is not a valid topic name", request("bad replies!", id, null));
    bad.put("is not allowed (--reply-topics", request("orders", id, null));
    bad.put("reply topic 'nowhere-replies' does not exist", request("nowhere-replies", id, null));
    int warningsBefore = deadLetterLines();
    for (ProducerRecord<byte[], byte[]> record : bad.values()) {
      wire.send(record);
    }
    UUID after = UUID.randomUUID();
    wire.sendPing(after);

    wire.readUntil(
        wire.pongTopic, pongs -> Wire.pongSessions(pongs).contains(after.toString()), RUN);
    List<ConsumerRecord<byte[], byte[]>> deadLetters =
        wire.readUntil(
            wire.pingTopic + ".DLT", records -> reasons(records).size() >= bad.size(), RUN);
    List<String> reasons = reasons(deadLetters);
    for (String reason : bad.keySet()) {
      assertThat(reasons).as("dead-letter reasons").anyMatch(r -> r.contains(reason));
    }
    Await.until(
        "one WARN line per bad route", RUN, () -> deadLetterLines() - warningsBefore == bad.size());
    assertThat(server.stderr())
        .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception:"));
    assertThat(server.isAlive()).isTrue();
  }

  private static ProducerRecord<byte[], byte[]> request(
      String topic, byte[] correlationId, byte[] partition) {
    UUID session = UUID.randomUUID();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            wire.pingTopic,
            session.toString().getBytes(UTF_8),
            Wire.pingJson(session).getBytes(UTF_8));
    record.headers().add("kafka_replyTopic", topic.getBytes(UTF_8));
    record.headers().add("kafka_correlationId", correlationId);
    if (partition != null) {
      record.headers().add("kafka_replyPartition", partition);
    }
    return record;
  }

  private static List<String> reasons(List<ConsumerRecord<byte[], byte[]>> deadLetters) {
    return deadLetters.stream()
        .map(r -> r.headers().lastHeader("dlt.reason"))
        .filter(header -> header != null)
        .map(header -> new String(header.value(), UTF_8))
        .toList();
  }

  private static int deadLetterLines() {
    return (int)
        server.stderr().stream()
            .filter(
                line ->
                    line.contains(" WARN ")
                        && line.contains("copied to " + wire.pingTopic + ".DLT"))
            .count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"spring", "smallrye"})
  void shouldPingThePongServerThroughEitherConvention(String convention) throws Exception {
    List<String> args = new ArrayList<>(wire.clientArgs("--reply-convention", convention));
    args.set(args.indexOf("--pong-topic") + 1, replyTopic);
    args.addAll(List.of("-c", "5", "-i", "0", "--json"));
    try (JavaProcess ping = JavaProcess.start("ping-" + convention, Jars.PING, args, Map.of())) {
      assertThat(ping.awaitExit(RUN)).isZero();
      assertThat(ping.stdout())
          .filteredOn(line -> line.startsWith("{\"type\":\"reply\""))
          .hasSize(5);
      assertThat(ping.stdout())
          .last()
          .asString()
          .startsWith("{\"type\":\"summary\",\"transmitted\":5,\"received\":5,\"duplicates\":0,");
    }
  }

  @Test
  void shouldRefuseAPayloadWithoutAConventionInOneLine() throws Exception {
    try (JavaProcess ping =
        JavaProcess.start("ping-payload", Jars.PING, wire.clientArgs("--payload", "x"), Map.of())) {
      assertThat(ping.awaitExit(RUN)).isEqualTo(2);
      assertThat(ping.ourStderr())
          .containsExactly("ping: --payload needs --reply-convention spring or smallrye");
    }
  }
}

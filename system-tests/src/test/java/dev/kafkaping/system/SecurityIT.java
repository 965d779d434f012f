package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R6: SASL/SCRAM-SHA-512 with ACLs on a real broker, ping and pong as real processes. Every process
 * the class starts, brokers included, is searched for the passwords: by the last test, and again
 * after the class's broker and server have stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final String ADMIN_PASSWORD = "admin-Secr3t-value";
  private static final Map<String, String> PASSWORDS =
      Map.of(
          "alice", "alice-Secr3t-value", "bob", "bob-Secr3t-value", "carol", "carol-Secr3t-value");

  // The README walk-through's broker: its own alice, and kafka-dev's default admin password.
  private static final String WALKTHROUGH_PASSWORD = "alice-secret";
  private static final String WALKTHROUGH_ADMIN_PASSWORD = "admin-secret";

  @TempDir static Path dir;
  private static DevKafkaProcess kafka;
  private static JavaProcess aliceServer;
  private static final List<JavaProcess> processes = new ArrayList<>();
  private static final List<DevKafkaProcess> brokers = new ArrayList<>();

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    List<String> args = new ArrayList<>(List.of("--sasl", "--admin-password", ADMIN_PASSWORD));
    PASSWORDS.forEach((user, password) -> args.addAll(List.of("--user", user + "=" + password)));
    kafka = new DevKafkaProcess(dir.resolve("kafka"), args);
    brokers.add(kafka);
    kafka.start();
    try (Admin admin =
        Admin.create(
            Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                jaas("admin", ADMIN_PASSWORD)))) {
      List<AclBinding> acls = new ArrayList<>();
      for (String topic : List.of("ping", "pong", "ping.DLT")) {
        acls.add(allow("alice", ResourceType.TOPIC, topic, AclOperation.ALL));
      }
      acls.add(allow("alice", ResourceType.GROUP, "pong-server", AclOperation.ALL));
      // bob may read pongs but not send pings
      acls.add(allow("bob", ResourceType.TOPIC, "ping", AclOperation.DESCRIBE));
      acls.add(allow("bob", ResourceType.TOPIC, "pong", AclOperation.DESCRIBE));
      acls.add(allow("bob", ResourceType.TOPIC, "pong", AclOperation.READ));
      // carol may use the topics but not the servers' consumer group
      for (String topic : List.of("ping", "pong", "ping.DLT")) {
        acls.add(allow("carol", ResourceType.TOPIC, topic, AclOperation.ALL));
      }
      admin.createAcls(acls).all().get();
    }
    aliceServer = start("pong-alice", Jars.PONG, "alice", PASSWORDS.get("alice"));
    aliceServer.awaitLine(line -> line.contains("partitions assigned"), RUN);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      // Stopped cleanly, so that what they print on their way out is searched too.
      if (aliceServer != null) {
        aliceServer.terminate();
        aliceServer.awaitExit(RUN);
      }
      kafka.stop();
      assertNoPasswordInAnyOutput();
    } finally {
      for (JavaProcess process : processes) {
        process.close();
      }
      kafka.close();
    }
  }

  /** Every line of every process this class started, brokers included. */
  private static void assertNoPasswordInAnyOutput() {
    Map<String, List<String>> outputs = new LinkedHashMap<>();
    processes.forEach(p -> outputs.put(p.name() + " (pid " + p.pid() + ")", p.allLines()));
    brokers.forEach(b -> outputs.put("kafka-dev at " + b.bootstrapServers(), b.allLines()));
    List<String> passwords = new ArrayList<>(PASSWORDS.values());
    passwords.addAll(List.of(ADMIN_PASSWORD, WALKTHROUGH_PASSWORD, WALKTHROUGH_ADMIN_PASSWORD));
    outputs.forEach(
        (name, lines) -> {
          String output = String.join("\n", lines);
          for (String password : passwords) {
            assertThat(output).as(name).doesNotContain(password);
          }
        });
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static JavaProcess start(
      String name, Path jar, String user, String password, String... more) throws Exception {
    Path config = dir.resolve(name + ".properties");
    Files.writeString(
        config,
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config="
            + jaas(user, password)
            + "\n");
    List<String> args =
        new ArrayList<>(
            List.of("-b", kafka.bootstrapServers(), "--command-config", config.toString()));
    args.addAll(List.of(more));
    return track(JavaProcess.start(name, jar, args, Map.of()));
  }

  /** Kept for the password search at the end, however the test that started it ends. */
  private static JavaProcess track(JavaProcess process) {
    processes.add(process);
    return process;
  }

  private static List<String> ourLines(JavaProcess process) {
    return process.stderr().stream()
        .filter(line -> line.startsWith("ping:") || line.startsWith("pong:"))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pong.jar", "ping.jar"})
  void shouldSayWithinSecondsThatTheBrokerWantsSaslWhenTheClientHasNoSecuritySettings(
      String jarName) throws Exception {
    Path jar = jarName.equals("pong.jar") ? Jars.PONG : Jars.PING;
    String command = jarName.replace(".jar", "");
    // A new user's first try: no --command-config at all.
    JavaProcess process =
        track(
            JavaProcess.start(
                command + "-plain", jar, List.of("-b", kafka.bootstrapServers()), Map.of()));
    process.awaitLine(line -> line.startsWith(command + ":"), Duration.ofSeconds(10));
    assertThat(process.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
    assertThat(ourLines(process))
        .singleElement()
        .asString()
        .isEqualTo(
            command
                + ": the broker at "
                + kafka.bootstrapServers()
                + " closed the connection at the first request: it probably needs SASL (set"
                + " security.protocol=SASL_PLAINTEXT or SASL_SSL and sasl.mechanism,"
                + " sasl.jaas.config in --command-config)");
  }

  @Test
  void shouldPingAndPongWhenTheCredentialsAndAclsAreRight() throws Exception {
    JavaProcess ping = start("ping-alice", Jars.PING, "alice", PASSWORDS.get("alice"));
    assertThat(ping.awaitExit(RUN)).isZero();
    assertThat(ping.stdout())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("pong session_id="));
  }

  @Test
  void shouldPingAndPongWhenKafkaDevGrantedTheAclsItself() throws Exception {
    // README's "A secured dev broker", step by step: no ACLs but the ones kafka-dev grants.
    try (DevKafkaProcess granting =
        new DevKafkaProcess(
            dir.resolve("kafka-granting"),
            List.of("--sasl", "--user", "alice=alice-secret", "--allow-ping-pong", "alice"))) {
      brokers.add(granting);
      granting.start();
      Path properties = dir.resolve("alice.properties");
      Files.writeString(
          properties,
          """
          security.protocol=SASL_PLAINTEXT
          sasl.mechanism=SCRAM-SHA-512
          sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \
          username="alice" password="alice-secret";
          """);
      List<String> args =
          List.of("-b", granting.bootstrapServers(), "--command-config", properties.toString());
      try (JavaProcess early =
          track(JavaProcess.start("ping-granted-early", Jars.PING, args, Map.of()))) {
        // The responder check may describe the group: it says so rather than being skipped.
        assertThat(early.awaitExit(RUN)).isEqualTo(1);
        assertThat(ourLines(early))
            .containsExactly(
                "ping: no pong server is running (consumer group 'pong-server' has no members)");
      }
      try (JavaProcess pong = track(JavaProcess.start("pong-granted", Jars.PONG, args, Map.of()))) {
        pong.awaitLine(line -> line.contains("partitions assigned"), RUN);
        try (JavaProcess ping =
            track(JavaProcess.start("ping-granted", Jars.PING, args, Map.of()))) {
          assertThat(ping.awaitExit(RUN)).isZero();
          assertThat(ping.stdout())
              .singleElement()
              .satisfies(line -> assertThat(line).startsWith("pong session_id="));
        }
      }
    }
  }

  @Test
  void shouldExitTwoWithOneLineWhenThePasswordIsWrong() throws Exception {
    JavaProcess ping = start("ping-wrong-password", Jars.PING, "alice", "not-the-password");
    assertThat(ping.awaitExit(RUN)).isEqualTo(2);
    assertThat(ping.stderr().stream().filter(line -> !line.startsWith("WARNING")))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("ping: authentication failed at " + kafka.bootstrapServers()));
    assertThat(String.join("\n", ping.allLines())).doesNotContain("not-the-password");
  }

  @Test
  void shouldNameTheMissingWritePermissionWhenTheUserMayNotSendPings() throws Exception {
    JavaProcess ping = start("ping-bob", Jars.PING, "bob", PASSWORDS.get("bob"));
    assertThat(ping.awaitExit(RUN)).isEqualTo(2);
    assertThat(ourLines(ping))
        .containsExactly("ping: not authorized: missing WRITE permission on topic(s) ping");
  }

  @Test
  void shouldSkipTheResponderCheckWhenTheUserMayNotDescribeTheGroup() throws Exception {
    // carol has no ACL on the group 'pong-server', so the broker refuses to describe it. Taken as
    // "no members" that would exit 1, as an error 2; skipped, alice's server answers.
    JavaProcess ping = start("ping-carol", Jars.PING, "carol", PASSWORDS.get("carol"));
    assertThat(ping.awaitExit(RUN)).isZero();
    assertThat(ping.stdout())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("pong session_id="));
  }

  @Test
  void shouldNameTheMissingGroupPermissionWhenTheServerMayNotJoinItsGroup() throws Exception {
    JavaProcess pong = start("pong-carol", Jars.PONG, "carol", PASSWORDS.get("carol"));
    assertThat(pong.awaitExit(RUN)).isEqualTo(2);
    assertThat(ourLines(pong))
        .containsExactly(
            "pong: not authorized: missing READ permission on consumer group 'pong-server'");
  }

  @Test
  @Order(Integer.MAX_VALUE) // last, so that it searches the output of every other test's processes
  void shouldNeverPrintAPasswordInLogsHelpOrErrors() throws Exception {
    JavaProcess debug =
        start("ping-debug", Jars.PING, "alice", PASSWORDS.get("alice"), "--log-level", "debug");
    JavaProcess help = start("ping-help", Jars.PING, "alice", PASSWORDS.get("alice"), "--help");
    assertThat(debug.awaitExit(RUN)).isZero();
    assertThat(help.awaitExit(RUN)).isZero();
    assertNoPasswordInAnyOutput();
    assertThat(String.join("\n", debug.allLines())).contains("sasl.jaas.config = [hidden]");
  }
}

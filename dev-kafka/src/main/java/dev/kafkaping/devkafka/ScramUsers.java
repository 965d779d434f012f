package dev.kafkaping.devkafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * SCRAM-SHA-512 users of a broker started with SASL, with the KRaft {@code StandardAuthorizer}: the
 * administrator is a super user, everyone else needs ACLs.
 *
 * @param adminPassword password of the super user {@code admin}
 * @param users other users by name, with their passwords
 * @param pingPongUsers users to be granted the ACLs that running ping and pong needs
 */
public record ScramUsers(
    String adminPassword, Map<String, String> users, List<String> pingPongUsers) {
  public static final String ADMIN = "admin";
  public static final String MECHANISM = "SCRAM-SHA-512";

  public ScramUsers(String adminPassword, Map<String, String> users) {
    this(adminPassword, users, List.of());
  }

  public ScramUsers {
    users = Map.copyOf(users);
    pingPongUsers = pingPongUsers.stream().distinct().toList();
    if (users.containsKey(ADMIN)) {
      throw new IllegalArgumentException("'admin' is the broker's own super user");
    }
    for (String user : pingPongUsers) {
      if (user.equals(ADMIN)) {
        throw new IllegalArgumentException(
            "--allow-ping-pong admin: 'admin' is the super user and needs no ACLs");
      }
      if (!users.containsKey(user)) {
        throw new IllegalArgumentException(
            "--allow-ping-pong " + user + ": no such user (add --user " + user + "=PASSWORD)");
      }
    }
  }

  /** Arguments for the storage formatter, which writes the credentials into the metadata log. */
  List<String> formatterArguments() {
    List<String> arguments = new ArrayList<>();
    arguments.add(MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]");
    users.forEach(
        (name, password) ->
            arguments.add(MECHANISM + "=[name=" + name + ",password=" + password + "]"));
    return arguments;
  }

  void secure(Properties props, int clientPort, int controllerPort) {
    props.put(
        "listeners",
        "SASL_PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + clientPort);
    props.put(
        "listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    props.put("sasl.enabled.mechanisms", MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    props.put(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas(ADMIN, adminPassword));
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // ANONYMOUS is the broker itself on the loopback-only controller listener (SCRAM cannot
    // authenticate there: its credentials live in the metadata that listener serves).
    props.put("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
    props.put("allow.everyone.if.no.acl.found", "false");
  }

  Map<String, Object> adminClientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("security.protocol", "SASL_PLAINTEXT");
    properties.put("sasl.mechanism", MECHANISM);
    properties.put("sasl.jaas.config", jaas(ADMIN, adminPassword));
    return properties;
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }
}

package dev.kafkaping.devkafka;

/**
 * What the broker may log (slf4j-simple, on standard error): warnings only, less where Kafka warns
 * about its own normal work. A {@code -D} setting of the same name wins.
 */
final class QuietLogging {
  private static final String LOG = "org.slf4j.simpleLogger.log.";

  private QuietLogging() {}

  static void install() {
    // The broker logs thousands of info lines; a developer wants warnings only.
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // Every clean shutdown closes the broker's registration channel twice, and the second close
    // warns "Attempting to close NetworkClient that has already been closed".
    setIfAbsent(LOG + "org.apache.kafka.clients.NetworkClient", "error");
    // A cluster node whose partition leader died logs every failed fetch with its stack trace until
    // the leader is fenced; the launcher's own line says that the node exited.
    setIfAbsent(LOG + "kafka.server.ReplicaFetcherThread", "error");
    // A cluster creates Kafka's offsets topic before it says ready, by asking each node for a
    // group coordinator; the nodes race to create it, and the losers warn TOPIC_ALREADY_EXISTS.
    setIfAbsent(LOG + "org.apache.kafka.server.DefaultAutoTopicCreationManager", "error");
    // The controller's warnings are all about its normal work: "Performing controller activation"
    // at every start, and the leader changes of an election. Its faults are logged as errors.
    setIfAbsent(LOG + "org.apache.kafka.controller.QuorumController", "error");
    // Every error it logs is also the answer to the request that caused it. In a cluster that
    // (re)starts, the controllers ask the one they last knew as leader to register them, which
    // answers NotControllerException, with a stack trace, until the election is over.
    setIfAbsent(LOG + "kafka.server.ControllerApis", "off");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}

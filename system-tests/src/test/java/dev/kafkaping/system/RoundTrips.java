package dev.kafkaping.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Counts from the --json output of ping processes and from the pong topic. */
record RoundTrips(int sent, int answered, int lost, int duplicated) {

  static RoundTrips of(List<JavaProcess> clients, List<ConsumerRecord<byte[], byte[]>> pongs) {
    int sent = 0;
    int answered = 0;
    for (JavaProcess client : clients) {
      for (String line : client.stdout()) {
        if (line.startsWith("{\"type\":\"pong\"")) {
          sent++;
          answered++;
        } else if (line.startsWith("{\"type\":\"timeout\"")) {
          sent++;
        }
      }
    }
    Map<String, Integer> perSession = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> pong : pongs) {
      perSession.merge(Wire.text(pong.key()), 1, Integer::sum);
    }
    int duplicated = perSession.values().stream().mapToInt(n -> n - 1).sum();
    return new RoundTrips(sent, answered, sent - answered, duplicated);
  }

  void print(String scenario) {
    System.out.printf(
        "%s: sent=%d answered=%d lost=%d duplicated=%d%n",
        scenario, sent, answered, lost, duplicated);
  }
}

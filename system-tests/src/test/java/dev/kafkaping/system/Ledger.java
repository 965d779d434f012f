package dev.kafkaping.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Round trips counted from the topics themselves, not from any process's output: every ping record
 * on the ping topic against the pongs carrying its session id on the pong topic.
 */
record Ledger(int pings, int answered, int lost, int duplicated, int mostPongsForOnePing) {

  static Ledger read(Wire wire) {
    return of(wire.readAll(wire.pingTopic), wire.readAll(wire.pongTopic));
  }

  static Ledger of(
      List<ConsumerRecord<byte[], byte[]>> pings, List<ConsumerRecord<byte[], byte[]>> pongs) {
    Map<String, Integer> pingsPerSession = count(pings);
    Map<String, Integer> pongsPerSession = count(pongs);
    int answered = 0;
    int lost = 0;
    int duplicated = 0;
    int most = 0;
    for (Map.Entry<String, Integer> ping : pingsPerSession.entrySet()) {
      int pongCount = pongsPerSession.getOrDefault(ping.getKey(), 0);
      most = Math.max(most, pongCount);
      if (pongCount == 0) {
        lost += ping.getValue();
      } else {
        answered += Math.min(pongCount, ping.getValue());
        duplicated += Math.max(0, pongCount - ping.getValue());
      }
    }
    return new Ledger(pings.size(), answered, lost, duplicated, most);
  }

  private static Map<String, Integer> count(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Integer> perSession = new HashMap<>();
    records.forEach(r -> perSession.merge(Wire.text(r.key()), 1, Integer::sum));
    return perSession;
  }

  /**
   * One row of README's failure table: printed, and appended to {@code
   * system-tests/target/failure-table.org}, from which {@code build/UpdateFailureTable.java}
   * rewrites the table in README.org.
   */
  Ledger print(String scenario) {
    System.out.printf(
        "FIGURES %s: pings=%d answered=%d lost=%d duplicated=%d most pongs for one ping=%d%n",
        scenario, pings, answered, lost, duplicated, mostPongsForOnePing);
    FailureTable.row(scenario, pings, answered, lost, duplicated, mostPongsForOnePing);
    return this;
  }
}

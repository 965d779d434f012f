package dev.kafkaping.client;

import org.HdrHistogram.Histogram;

/**
 * Round-trip statistics in the iputils style: exact min/avg/max/mdev from running sums, and
 * percentiles from an HdrHistogram recording microseconds with three significant digits.
 * Thread-safe: replies may be recorded from several threads in flood mode.
 */
final class Statistics {
  private final Histogram micros = new Histogram(3_600_000_000L, 3);
  private int transmitted;
  private int received;
  private int duplicates;
  private double sum;
  private double sumOfSquares;
  private double min = Double.POSITIVE_INFINITY;
  private double max;

  synchronized void transmitted() {
    transmitted++;
  }

  synchronized void received(double millis) {
    received++;
    sum += millis;
    sumOfSquares += millis * millis;
    min = Math.min(min, millis);
    max = Math.max(max, millis);
    micros.recordValue(Math.max(0, Math.round(millis * 1000)));
  }

  /** A second pong for an answered ping: counted apart, as iputils does, and not in the rtt. */
  synchronized void duplicate() {
    duplicates++;
  }

  synchronized Summary summary(double elapsedMillis) {
    double avg = received == 0 ? 0 : sum / received;
    double mdev = received == 0 ? 0 : Math.sqrt(Math.max(0, sumOfSquares / received - avg * avg));
    return new Summary(
        transmitted,
        received,
        duplicates,
        elapsedMillis,
        received == 0 ? 0 : min,
        avg,
        max,
        mdev,
        percentile(50),
        percentile(90),
        percentile(99));
  }

  private double percentile(double p) {
    return received == 0 ? 0 : micros.getValueAtPercentile(p) / 1000.0;
  }

  /** A snapshot of the statistics. */
  record Summary(
      int transmitted,
      int received,
      int duplicates,
      double elapsedMillis,
      double min,
      double avg,
      double max,
      double mdev,
      double p50,
      double p90,
      double p99) {

    double lossPercent() {
      return transmitted == 0 ? 0 : 100.0 * (transmitted - received) / transmitted;
    }
  }
}

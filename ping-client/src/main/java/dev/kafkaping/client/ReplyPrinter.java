package dev.kafkaping.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints replies and the summary as ping(8)-style text or as one JSON object per line. The summary
 * is the last line: whatever comes after it is dropped. A reply under a reply convention is printed
 * as a pong is, but named a reply, with its correlation id and its size.
 */
final class ReplyPrinter {
  /** Built on first use: a run without --json does not load Jackson's databind (330 classes). */
  private static final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
  }

  private final PrintWriter out;
  private final AnswerKind kind;
  private final boolean json;
  private final boolean quiet;
  private final boolean verbose;
  private boolean summarised;

  ReplyPrinter(PrintWriter out, AnswerKind kind, boolean json, boolean quiet, boolean verbose) {
    this.out = out;
    this.kind = kind;
    this.json = json;
    this.quiet = quiet;
    this.verbose = verbose;
  }

  synchronized void reply(RoundTrip trip) {
    if (summarised) {
      return;
    }
    if (json) {
      println(toJson(trip));
      return;
    }
    if (quiet) {
      return;
    }
    switch (trip) {
      case RoundTrip.Answered a -> println(pongLine(a));
      case RoundTrip.Lost l ->
          println(
              "no "
                  + kind.noun()
                  + " "
                  + kind.idField()
                  + "="
                  + l.sessionId()
                  + " ("
                  + l.reason()
                  + ")"
                  + (verbose ? " seq=" + l.sequence() + traceField(l.traceId()) : ""));
    }
  }

  /** As ping(8): the reply's line, marked at its end. */
  synchronized void duplicate(DuplicatePong d) {
    if (summarised) {
      return;
    }
    if (json) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("type", "duplicate");
      putPong(fields, d);
      println(write(fields));
    } else if (!quiet) {
      println(pongLine(d) + " (DUP!)");
    }
  }

  private String pongLine(Arrival a) {
    return String.format(
        Locale.ROOT,
        "%s %s=%s partition=%d time=%.2f ms%s",
        kind.noun(),
        kind.idField(),
        a.sessionId(),
        a.partition(),
        a.millis(),
        verbose
            ? " seq="
                + a.sequence()
                + " offset="
                + a.offset()
                + bytesField(a)
                + traceField(a.traceId())
            : "");
  }

  /** Only a reply's size tells something: a pong is always the same few bytes. */
  private String bytesField(Arrival a) {
    return kind == AnswerKind.REPLY ? " bytes=" + a.bytes() : "";
  }

  /** Nothing when tracing is disabled (OTEL_SDK_DISABLED): there is no trace to look up. */
  private static String traceField(String traceId) {
    return traceId == null ? "" : " trace_id=" + traceId;
  }

  /** The summary, then with --every-partition one entry per partition. */
  synchronized void summary(
      Statistics.Summary s, List<PartitionCanary.PartitionSummary> partitions) {
    summarised = true;
    if (json) {
      Map<String, Object> rtt = new LinkedHashMap<>();
      rtt.put("min", round(s.min()));
      rtt.put("avg", round(s.avg()));
      rtt.put("max", round(s.max()));
      rtt.put("mdev", round(s.mdev()));
      rtt.put("p50", round(s.p50()));
      rtt.put("p90", round(s.p90()));
      rtt.put("p99", round(s.p99()));
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("type", "summary");
      summary.put("transmitted", s.transmitted());
      summary.put("received", s.received());
      summary.put("duplicates", s.duplicates());
      summary.put("loss_percent", round(s.lossPercent()));
      summary.put("time_ms", Math.round(s.elapsedMillis()));
      summary.put("rtt_ms", rtt);
      if (!partitions.isEmpty()) {
        summary.put("partitions", partitions.stream().map(ReplyPrinter::partitionJson).toList());
      }
      println(write(summary));
      return;
    }
    println("--- ping statistics ---");
    println(
        String.format(
            Locale.ROOT,
            "%d pings transmitted, %d received, %s%s%% loss, time %d ms",
            s.transmitted(),
            s.received(),
            s.duplicates() > 0 ? "+" + s.duplicates() + " duplicates, " : "",
            formatLoss(s.lossPercent()),
            Math.round(s.elapsedMillis())));
    if (s.received() > 0) {
      println(
          String.format(
              Locale.ROOT,
              "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
              s.min(),
              s.avg(),
              s.max(),
              s.mdev()));
      println(
          String.format(
              Locale.ROOT, "rtt p50/p90/p99 = %.3f/%.3f/%.3f ms", s.p50(), s.p90(), s.p99()));
    }
    for (PartitionCanary.PartitionSummary partition : partitions) {
      Statistics.Summary p = partition.statistics();
      println(
          String.format(
              Locale.ROOT,
              "partition %d leader %s: %d transmitted, %d received, %s%% loss%s",
              partition.partition(),
              leader(partition),
              p.transmitted(),
              p.received(),
              formatLoss(p.lossPercent()),
              p.received() == 0
                  ? ""
                  : String.format(Locale.ROOT, ", rtt p50/p99 = %.3f/%.3f ms", p.p50(), p.p99())));
    }
  }

  private static String leader(PartitionCanary.PartitionSummary partition) {
    return partition.leader().isPresent()
        ? Integer.toString(partition.leader().getAsInt())
        : "none";
  }

  private static Map<String, Object> partitionJson(PartitionCanary.PartitionSummary partition) {
    Statistics.Summary p = partition.statistics();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("partition", partition.partition());
    fields.put("leader", partition.leader().isPresent() ? partition.leader().getAsInt() : null);
    fields.put("transmitted", p.transmitted());
    fields.put("received", p.received());
    fields.put("loss_percent", round(p.lossPercent()));
    Map<String, Object> rtt = new LinkedHashMap<>();
    rtt.put("p50", round(p.p50()));
    rtt.put("p99", round(p.p99()));
    fields.put("rtt_ms", rtt);
    return fields;
  }

  private String toJson(RoundTrip trip) {
    Map<String, Object> fields = new LinkedHashMap<>();
    switch (trip) {
      case RoundTrip.Answered a -> {
        fields.put("type", kind.noun());
        putPong(fields, a);
      }
      case RoundTrip.Lost l -> {
        fields.put("type", "timeout");
        fields.put("seq", l.sequence());
        fields.put(kind.idField(), l.sessionId().toString());
        fields.put("reason", l.reason());
        fields.put("trace_id", l.traceId());
      }
    }
    return write(fields);
  }

  private void putPong(Map<String, Object> fields, Arrival a) {
    fields.put("seq", a.sequence());
    fields.put(kind.idField(), a.sessionId().toString());
    fields.put("partition", a.partition());
    fields.put("offset", a.offset());
    fields.put("time_ms", round(a.millis()));
    if (kind == AnswerKind.REPLY) {
      fields.put("bytes", a.bytes());
    }
    fields.put("trace_id", a.traceId());
  }

  private static String formatLoss(double percent) {
    return percent == Math.rint(percent)
        ? Long.toString(Math.round(percent))
        : String.format(Locale.ROOT, "%.1f", percent);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static String write(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void println(String line) {
    out.println(line);
    out.flush();
  }
}

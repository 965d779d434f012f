package dev.kafkaping.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands replies to the printer so that a duplicate's line follows its original's. The original is
 * printed by its sender once the round trip has ended, but its duplicate may be read right behind
 * it (same poll) and would otherwise come first. Holds only the pings in flight.
 */
final class ReplyOrder {
  private final ReplyPrinter printer;
  // Pings sent and not yet reported, with the duplicates that came before their line.
  private final Map<Integer, List<DuplicatePong>> unreported = new HashMap<>();
  private boolean muted;

  ReplyOrder(ReplyPrinter printer) {
    this.printer = printer;
  }

  synchronized void sending(int sequence) {
    unreported.put(sequence, new ArrayList<>());
  }

  synchronized void reply(RoundTrip trip) {
    List<DuplicatePong> early = unreported.remove(trip.sequence());
    if (muted) {
      return;
    }
    printer.reply(trip);
    if (early != null) {
      early.forEach(printer::duplicate);
    }
  }

  synchronized void duplicate(DuplicatePong duplicate) {
    List<DuplicatePong> early = unreported.get(duplicate.sequence());
    if (early != null) {
      early.add(duplicate);
    } else if (!muted) {
      printer.duplicate(duplicate);
    }
  }

  /** The ping ended the run instead of being reported. */
  synchronized void forget(int sequence) {
    unreported.remove(sequence);
  }

  /** Ctrl-C or the deadline: no more reply lines, only the summary. */
  synchronized void mute() {
    muted = true;
  }
}

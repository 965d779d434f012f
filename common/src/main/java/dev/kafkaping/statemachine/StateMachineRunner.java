package dev.kafkaping.statemachine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one machine from its initial state to exactly one {@link Outcome}. Messages arrive through
 * {@link #deliver} from any thread; {@link #run} blocks the calling thread (a virtual thread is the
 * intended home) until the machine finishes, fails or exhausts its budget.
 */
public final class StateMachineRunner<M> {
  private final Duration budget;
  private final Outbox<M> outbox;
  private final MachineListener<M> listener;
  // The only state shared with other threads.
  private final LinkedBlockingQueue<Mail<M>> inbox = new LinkedBlockingQueue<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private State<M> state;

  public StateMachineRunner(
      State<M> initial, Duration budget, Outbox<M> outbox, MachineListener<M> listener) {
    this.state = Objects.requireNonNull(initial, "initial");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Hands a message to the machine. Thread-safe; never blocks. */
  public void deliver(M message) {
    inbox.add(new Mail.Message<>(Objects.requireNonNull(message, "message")));
  }

  /** Tells the machine no more messages will come; a machine still waiting then fails. */
  public void close() {
    inbox.add(new Mail.Closed<>());
  }

  /**
   * Runs the machine on the calling thread and returns its single outcome. A machine runs once: a
   * second call would send its messages again, so it throws instead.
   */
  public Outcome<M> run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a state machine runs only once");
    }
    Outcome<M> outcome = runToOutcome();
    listener.finished(outcome);
    return outcome;
  }

  private Outcome<M> runToOutcome() {
    long started = System.nanoTime();
    long deadline = started + budget.toNanos();
    Deque<M> parked = new ArrayDeque<>();
    Deque<M> replay = new ArrayDeque<>();
    try {
      enter(state);
      while (true) {
        switch (state.advance()) {
          case Transition.Terminal<M> t -> {
            return new Outcome.Finished<>(state, Duration.ofNanos(System.nanoTime() - started));
          }
          case Transition.Next<M> next -> {
            state = Objects.requireNonNull(next.state(), "next state");
            // Messages the old state could not use get a second chance, oldest first: whatever was
            // parked arrived before anything still waiting to be replayed.
            Deque<M> older = new ArrayDeque<>(parked);
            older.addAll(replay);
            replay = older;
            parked.clear();
            enter(state);
          }
          case Transition.Same<M> same -> {
            M message = replay.pollFirst();
            if (message == null) {
              Mail<M> mail = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
              switch (mail) {
                case null -> {
                  return new Outcome.TimedOut<>(state, undelivered(parked, replay), budget);
                }
                case Mail.Closed<M> closed -> {
                  return new Outcome.ChannelClosed<>(state, undelivered(parked, replay));
                }
                case Mail.Message<M>(M received) -> message = received;
              }
            }
            switch (state.deliver(message)) {
              case Delivery.Delivered d -> listener.delivered(state, message);
              case Delivery.Unexpected u -> {
                parked.addLast(message);
                listener.parked(state, message);
              }
              case Delivery.Failed failed -> {
                return new Outcome.StateFailed<>(
                    state, undelivered(parked, replay), failed.reason());
              }
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.ChannelClosed<>(state, undelivered(parked, replay));
    } catch (RuntimeException e) {
      return new Outcome.StateFailed<>(state, undelivered(parked, replay), describe(e));
    }
  }

  private void enter(State<M> entered) {
    listener.entered(entered);
    for (M message : entered.initialize()) {
      outbox.emit(message, this::deliver);
    }
  }

  /** What never reached a state: parked, still to be replayed, or still in the inbox. */
  private List<M> undelivered(Deque<M> parked, Deque<M> replay) {
    List<M> left = new ArrayList<>(parked);
    left.addAll(replay);
    for (Mail<M> mail : inbox) {
      if (mail instanceof Mail.Message<M>(M message)) {
        left.add(message);
      }
    }
    return List.copyOf(left);
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** What the inbox holds: a message, or the mark that no more will come. */
  private sealed interface Mail<M> {
    record Message<M>(M message) implements Mail<M> {}

    record Closed<M>() implements Mail<M> {}
  }
}

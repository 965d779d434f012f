package dev.kafkaping.statemachine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one machine from its initial state to exactly one {@link Outcome}. Messages arrive through
 * {@link #deliver} from any thread; {@link #run} blocks the calling thread (a virtual thread is the
 * intended home) until the machine finishes, fails or exhausts its budget.
 */
public final class StateMachine<M> {
  private static final Object CLOSED = new Object();

  private final String id;
  private final Duration budget;
  private final Outbox<M> outbox;
  private final MachineListener<M> listener;
  // Holds M or CLOSED; the only state shared with other threads.
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private State<M> state;

  public StateMachine(
      String id, State<M> initial, Duration budget, Outbox<M> outbox, MachineListener<M> listener) {
    this.id = Objects.requireNonNull(id, "id");
    this.state = Objects.requireNonNull(initial, "initial");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public String id() {
    return id;
  }

  /** Hands a message to the machine. Thread-safe; never blocks. */
  public void deliver(M message) {
    inbox.add(Objects.requireNonNull(message, "message"));
  }

  /** Tells the machine no more messages will come; a machine still waiting then fails. */
  public void close() {
    inbox.add(CLOSED);
  }

  /** Runs the machine on the calling thread and returns its single outcome. */
  public Outcome<M> run() {
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
            // Messages the old state could not use get a second chance, in arrival order.
            replay.addAll(parked);
            parked.clear();
            enter(state);
          }
          case Transition.Same<M> same -> {
            M message = replay.pollFirst();
            if (message == null) {
              Object received = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
              if (received == null) {
                return new Outcome.TimedOut<>(state, undelivered(parked, replay), budget);
              }
              if (received == CLOSED) {
                return new Outcome.ChannelClosed<>(state, undelivered(parked, replay));
              }
              @SuppressWarnings("unchecked")
              M typed = (M) received;
              message = typed;
            }
            switch (state.deliver(message)) {
              case Delivery.Delivered d -> listener.delivered(state, message);
              case Delivery.Unexpected u -> {
                parked.addLast(message);
                listener.parked(state, message);
              }
              case Delivery.Failed failed -> {
                parked.addLast(message);
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

  private List<M> undelivered(Deque<M> parked, Deque<M> replay) {
    List<M> left = new ArrayList<>(parked);
    left.addAll(replay);
    for (Object queued : inbox) {
      if (queued != CLOSED) {
        @SuppressWarnings("unchecked")
        M typed = (M) queued;
        left.add(typed);
      }
    }
    return List.copyOf(left);
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

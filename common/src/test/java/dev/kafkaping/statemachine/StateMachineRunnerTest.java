package dev.kafkaping.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StateMachineRunnerTest {

  /** Waits for "a", then enters Second, which announces itself and waits for "b". */
  static final class First implements State<String> {
    final List<String> seen = new ArrayList<>();

    @Override
    public Delivery deliver(String message) {
      if (message.equals("a")) {
        seen.add(message);
        return new Delivery.Delivered();
      }
      if (message.equals("boom")) {
        return new Delivery.Failed("boom is not allowed");
      }
      return new Delivery.Unexpected();
    }

    @Override
    public Transition<String> advance() {
      return seen.isEmpty() ? new Transition.Same<>() : new Transition.Next<>(new Second());
    }
  }

  static final class Second implements State<String> {
    final List<String> seen = new ArrayList<>();

    @Override
    public List<String> initialize() {
      return List.of("second-entered");
    }

    @Override
    public Delivery deliver(String message) {
      if (message.startsWith("b")) {
        seen.add(message);
        return new Delivery.Delivered();
      }
      return new Delivery.Unexpected();
    }

    @Override
    public Transition<String> advance() {
      return seen.size() < 2 ? new Transition.Same<>() : new Transition.Terminal<>();
    }
  }

  private final List<String> emitted = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private StateMachineRunner<String> machine(Duration budget) {
    return new StateMachineRunner<>(
        new First(),
        budget,
        (message, replyTo) -> emitted.add(message),
        new MachineListener<>() {
          @Override
          public void entered(State<String> state) {
            events.add("entered " + state.name());
          }

          @Override
          public void delivered(State<String> state, String message) {
            events.add("delivered " + message);
          }

          @Override
          public void parked(State<String> state, String message) {
            events.add("parked " + message);
          }
        });
  }

  @Test
  void shouldReplayParkedMessagesInOrderWhenTheStateChanges() {
    StateMachineRunner<String> machine = machine(Duration.ofSeconds(5));
    machine.deliver("b1");
    machine.deliver("b2");
    machine.deliver("a");

    Outcome<String> outcome = machine.run();

    assertThat(outcome).isInstanceOf(Outcome.Finished.class);
    assertThat(((Second) outcome.lastState()).seen).containsExactly("b1", "b2");
    assertThat(emitted).containsExactly("second-entered");
    assertThat(events)
        .containsExactly(
            "entered First",
            "parked b1",
            "parked b2",
            "delivered a",
            "entered Second",
            "delivered b1",
            "delivered b2");
  }

  @Test
  void shouldReportTheLastStateAndUndeliveredMessagesWhenTheBudgetRunsOut() {
    StateMachineRunner<String> machine = machine(Duration.ofMillis(200));
    machine.deliver("a");
    machine.deliver("x");

    Outcome<String> outcome = machine.run();

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.TimedOut.class,
            timedOut -> {
              assertThat(timedOut.lastState()).isInstanceOf(Second.class);
              assertThat(timedOut.undelivered()).containsExactly("x");
              assertThat(timedOut.budget()).isEqualTo(Duration.ofMillis(200));
            });
  }

  @Test
  void shouldFailWithTheReasonWhenAStateRejectsAMessage() {
    StateMachineRunner<String> machine = machine(Duration.ofSeconds(5));
    machine.deliver("boom");

    Outcome<String> outcome = machine.run();

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.StateFailed.class,
            failed -> {
              assertThat(failed.reason()).isEqualTo("boom is not allowed");
              assertThat(failed.lastState()).isInstanceOf(First.class);
              assertThat(failed.undelivered()).isEmpty();
            });
  }

  @Test
  void shouldFailWhenAStateThrows() {
    State<String> broken =
        () -> {
          throw new IllegalStateException("bug in advance");
        };
    StateMachineRunner<String> machine =
        new StateMachineRunner<>(
            broken, Duration.ofSeconds(1), (m, r) -> {}, MachineListener.none());

    assertThat(machine.run())
        .isInstanceOfSatisfying(
            Outcome.StateFailed.class,
            failed -> assertThat(failed.reason()).isEqualTo("bug in advance"));
  }

  @Test
  void shouldEndWithChannelClosedWhenClosedWhileWaiting() {
    StateMachineRunner<String> machine = machine(Duration.ofSeconds(30));
    machine.deliver("a");
    machine.deliver("b1");
    machine.close();

    Outcome<String> outcome = machine.run();

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.ChannelClosed.class,
            closed -> assertThat(closed.lastState()).isInstanceOf(Second.class));
  }

  @Test
  void shouldLetTheOutboxReplyIntoTheSameMachine() {
    StateMachineRunner<String> machine =
        new StateMachineRunner<>(
            new First(),
            Duration.ofSeconds(5),
            (message, replyTo) -> {
              replyTo.accept("b-reply-1");
              replyTo.accept("b-reply-2");
            },
            MachineListener.none());
    machine.deliver("a");

    assertThat(machine.run()).isInstanceOf(Outcome.Finished.class);
  }

  @Test
  void shouldRunManyMachinesConcurrentlyWhenEachHasItsOwnVirtualThread() throws Exception {
    int machines = 20_000;
    CountDownLatch allStarted = new CountDownLatch(machines);
    List<StateMachineRunner<String>> all = new ArrayList<>();
    List<Future<Outcome<String>>> outcomes = new ArrayList<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < machines; i++) {
        StateMachineRunner<String> machine =
            new StateMachineRunner<>(
                new First(), Duration.ofSeconds(60), (m, r) -> {}, MachineListener.none());
        all.add(machine);
        outcomes.add(
            executor.submit(
                () -> {
                  allStarted.countDown();
                  return machine.run();
                }));
      }
      assertThat(allStarted.await(30, TimeUnit.SECONDS)).isTrue();
      // Messages come from another thread, after every machine is already waiting.
      for (StateMachineRunner<String> machine : all) {
        machine.deliver("b1");
        machine.deliver("a");
        machine.deliver("b2");
      }
      for (Future<Outcome<String>> outcome : outcomes) {
        assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Finished.class);
      }
    }
  }

  /** Accepts one expected message, then moves to the next state; records what it saw. */
  record Step(String expected, State<String> next, List<String> seen) implements State<String> {
    @Override
    public Delivery deliver(String message) {
      if (message.equals(expected) || (expected.equals("*") && message.startsWith("z"))) {
        seen.add(message);
        return new Delivery.Delivered();
      }
      return new Delivery.Unexpected();
    }

    @Override
    public Transition<String> advance() {
      if (expected.equals("*")) {
        return seen.size() == 2 ? new Transition.Terminal<>() : new Transition.Same<>();
      }
      return seen.isEmpty() ? new Transition.Same<>() : new Transition.Next<>(next);
    }
  }

  @Test
  void shouldReplayOlderMessagesFirstWhenAReplayedMessageIsParkedAgain() {
    List<String> lastSeen = new ArrayList<>();
    State<String> last = new Step("*", null, lastSeen);
    State<String> middle = new Step("y", last, new ArrayList<>());
    StateMachineRunner<String> machine =
        new StateMachineRunner<>(
            new Step("x", middle, new ArrayList<>()),
            Duration.ofSeconds(5),
            (m, r) -> {},
            MachineListener.none());
    machine.deliver("z1");
    machine.deliver("y");
    machine.deliver("z2");
    machine.deliver("x");

    assertThat(machine.run()).isInstanceOf(Outcome.Finished.class);
    assertThat(lastSeen).containsExactly("z1", "z2");
  }

  @Test
  void shouldRefuseToRunTwiceWhenItWouldSendItsMessagesAgain() {
    StateMachineRunner<String> machine = machine(Duration.ofMillis(10));
    machine.run();

    assertThatThrownBy(machine::run).isInstanceOf(IllegalStateException.class);
    assertThat(emitted).isEmpty();
  }
}

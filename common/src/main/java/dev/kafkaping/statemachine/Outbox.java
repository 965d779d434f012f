package dev.kafkaping.statemachine;

import java.util.function.Consumer;

/**
 * Where a machine's emitted messages go. {@code replyTo} delivers back into the same machine, so
 * that, for example, a send callback can report that the message was sent.
 */
@FunctionalInterface
public interface Outbox<M> {
  void emit(M message, Consumer<M> replyTo);
}

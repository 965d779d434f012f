package dev.kafkaping.avro;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Answers kept for the life of the process, one per key: concurrent askers of a key share one
 * request; a failure, even an Error, is handed to each of them and forgotten, so that the next
 * asker tries again.
 */
final class SharedAnswers<K, T> {
  private final Map<K, CompletableFuture<T>> answers = new ConcurrentHashMap<>();

  @FunctionalInterface
  interface Call<T> {
    T call() throws SchemaRegistryException, UnknownSchemaException;
  }

  /** Known without asking from now on, unless an answer is known already. */
  void know(K key, T answer) {
    answers.putIfAbsent(key, CompletableFuture.completedFuture(answer));
  }

  T get(K key, Call<T> call) throws SchemaRegistryException, UnknownSchemaException {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> existing = answers.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(call.call());
      } catch (Throwable e) {
        answers.remove(key, mine);
        mine.completeExceptionally(e);
      }
    }
    try {
      return (existing == null ? mine : existing).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException.Unavailable("interrupted while asking the schema registry");
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case SchemaRegistryException s -> throw s;
        case UnknownSchemaException u -> throw u;
        case RuntimeException r -> throw r;
        case Error error -> throw error;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }
}

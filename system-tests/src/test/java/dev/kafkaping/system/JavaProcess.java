package dev.kafkaping.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code java -jar} child process, run with the same JVM as the tests, whose output lines
 * are collected as they arrive. Always closed by the test, which kills it if still running. Tracing
 * export is off ({@code OTEL_TRACES_EXPORTER=none}) unless {@code env} sets it: a test without a
 * collector should not wait for one.
 */
final class JavaProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final Object lines = new Object();
  private final List<Thread> readers = new ArrayList<>();

  private JavaProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    readers.add(pump(process.getInputStream(), out, "out"));
    readers.add(pump(process.getErrorStream(), err, "err"));
  }

  static JavaProcess start(String name, Path jar, List<String> args, Map<String, String> env) {
    return start(name, List.of(), jar, args, env);
  }

  /** With JVM flags before {@code -jar}, e.g. bin/ping's tuning for one short run. */
  static JavaProcess start(
      String name, List<String> jvmFlags, Path jar, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xshare:auto");
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return launch(name, command, env);
  }

  /** A launcher script that ends in java, e.g. {@code bash bin/ping -b ...}. */
  static JavaProcess launch(String name, List<String> command, Map<String, String> env) {
    List<String> full = new ArrayList<>();
    // As if started from a terminal: a test JVM started in the background inherits SIGINT
    // ignored, the child would inherit that, and the JVM then never sees a Ctrl-C.
    full.addAll(List.of("env", "--default-signal=INT"));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    builder.environment().put("OTEL_TRACES_EXPORTER", "none");
    builder.environment().putAll(env);
    try {
      return new JavaProcess(name, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + full, e);
    }
  }

  private Thread pump(InputStream stream, List<String> sink, String label) {
    return Thread.ofPlatform()
        .daemon()
        .name(name + "-" + label)
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  sink.add(line);
                  System.out.println("[" + name + " " + label + "] " + line);
                  synchronized (lines) {
                    lines.notifyAll();
                  }
                }
              } catch (IOException ignored) {
                // the process went away
              }
            });
  }

  /** Waits until a line of stdout or stderr matches; fails with the output so far if none does. */
  String awaitLine(Predicate<String> matcher, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : allLines()) {
          if (matcher.test(line)) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name
                  + ": no matching line within "
                  + timeout
                  + "; output:\n"
                  + String.join("\n", allLines()));
        }
        TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  /** Waits for the process to exit; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          name + " still running after " + timeout + "; output:\n" + String.join("\n", allLines()));
    }
    for (Thread reader : readers) {
      if (!reader.join(Duration.ofSeconds(30))) {
        throw new AssertionError(name + ": output still being read 30 s after exit");
      }
    }
    return process.exitValue();
  }

  /** SIGTERM. Through the handle: Process.destroy() would also close our end of its pipes. */
  void terminate() {
    process.toHandle().destroy();
  }

  /**
   * A signal by name to this process alone, as {@code kill -NAME pid} sends it: {@code INT} is what
   * Ctrl-C delivers, which the Process API cannot send.
   */
  void signal(String signalName) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signalName, Long.toString(process.pid()))
            .inheritIO()
            .start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + signalName + " " + process.pid() + " failed");
    }
  }

  /** SIGKILL. */
  void kill() {
    process.toHandle().destroyForcibly();
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> stdout() {
    return List.copyOf(out);
  }

  List<String> stderr() {
    return List.copyOf(err);
  }

  /** Standard error without the JVM's own {@code WARNING:} lines (e.g. about sun.misc.Unsafe). */
  List<String> ourStderr() {
    return err.stream().filter(line -> !line.startsWith("WARNING:")).toList();
  }

  List<String> allLines() {
    List<String> all = new ArrayList<>(out);
    all.addAll(err);
    return all;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

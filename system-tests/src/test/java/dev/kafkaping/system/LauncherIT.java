package dev.kafkaping.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kafkaping.devkafka.KafkaBroker;
import dev.kafkaping.devkafka.KafkaBrokerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bin/ launchers, run the way a user runs them: through bash, signalled like a terminal. */
class LauncherIT {
  private static final Path ROOT =
      Path.of(System.getProperty("kafkaping.root", "..")).toAbsolutePath().normalize();
  private static final Pattern REPLY = Pattern.compile("pong session_id=\\S+ partition=\\d+ .*");
  private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) pings transmitted, .*");
  private static final Duration WAIT = Duration.ofSeconds(90);
  // bin/pong's JVM flags when PONG_JAVA_OPTS does not replace them.
  private static final String BIN_PONG_FLAGS =
      "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  @ParameterizedTest
  @ValueSource(strings = {"ping", "pong", "kafka-dev", "schema-registry"})
  void shouldExitTwoWithFindJavasOneLineWhenNoJdkIsFound(String script, @TempDir Path root)
      throws Exception {
    BinPingCopy.copy(ROOT.resolve("bin/" + script), root.resolve("bin/" + script));
    // Stands for find-java on a machine without JDK 21+: its one line, its exit code.
    String noJdk = "kafka-ping needs JDK 21 or newer: set JAVA_HOME or install one";
    Files.writeString(
        root.resolve("bin/find-java"), "#!/bin/sh\necho '" + noJdk + "' >&2\nexit 2\n");
    root.resolve("bin/find-java").toFile().setExecutable(true);
    for (String jar : List.of("ping-client/target/ping.jar", "ping-server/target/pong.jar")) {
      Files.createDirectories(root.resolve(jar).getParent());
      Files.createFile(root.resolve(jar));
    }
    Files.createDirectories(root.resolve("dev-kafka/target"));
    Files.createFile(root.resolve("dev-kafka/target/kafka-dev.jar"));
    Files.createDirectories(root.resolve("dev-registry/target/apicurio"));
    Files.createFile(root.resolve("dev-registry/target/schema-registry-dev.jar"));
    Files.createFile(root.resolve("dev-registry/target/apicurio/quarkus-run.jar"));

    try (Launched launched =
        Launched.start(script, List.of(root.resolve("bin/" + script).toString()))) {
      assertThat(launched.awaitExit(WAIT)).isEqualTo(2);
      assertThat(launched.stderr()).containsExactly(noJdk);
      assertThat(launched.stdout()).isEmpty();
    }
  }

  @Test
  void shouldStopQuietlyWithExitZeroWhenKafkaDevGetsCtrlC(@TempDir Path dataDir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    List<String> command =
        List.of(
            "env",
            "--default-signal=INT", // SIGINT at its default, whatever the test JVM inherited
            ROOT.resolve("bin/kafka-dev").toString(),
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString());
    try (Launched kafkaDev = Launched.start("kafka-dev", command)) {
      kafkaDev.awaitLine(line -> line.startsWith("Kafka ready at"), WAIT);

      kafkaDev.signal("INT"); // the launcher exec's java: Ctrl-C reaches the JVM alone

      assertThat(kafkaDev.awaitExit(WAIT)).isZero();
      assertThat(kafkaDev.stdout()).containsExactly("Kafka ready at 127.0.0.1:" + port);
      // Kafka's own notice on a first start is all; no Unsafe warnings, no double-close warning.
      assertThat(kafkaDev.stderr())
          .allSatisfy(line -> assertThat(line).contains("Performing controller activation"));
    }
  }

  @Test
  void shouldStopQuietlyWithExitZeroWhenTheSchemaRegistryGetsCtrlC(@TempDir Path dataDir)
      throws Exception {
    List<String> command =
        List.of(
            "env",
            "--default-signal=INT",
            ROOT.resolve("bin/schema-registry").toString(),
            "--port",
            "0",
            "--data-dir",
            dataDir.toString());
    try (Launched registry = Launched.start("schema-registry", command)) {
      registry.awaitLine(line -> line.startsWith("Schema registry ready at"), WAIT);

      registry.signal("INT");

      assertThat(registry.awaitExit(WAIT)).isZero();
      assertThat(registry.stdout()).singleElement().asString().startsWith("Schema registry ready");
      assertThat(registry.stderr()).isEmpty();
    }
  }

  @Test
  @ExtendWith(KafkaBrokerExtension.class) // only this test needs a broker
  void shouldPrintTheSummaryWhenCtrlCInterruptsTheFirstRunThatRecordsTheAotCache(
      KafkaBroker broker, @TempDir Path root) throws Exception {
    BinPingCopy copy = BinPingCopy.in(root);
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      List<String> command = new ArrayList<>();
      // A session of its own, so that the signal goes to the whole process group, as Ctrl-C in a
      // terminal does; SIGINT at its default, whatever the test JVM inherited.
      command.addAll(List.of("setsid", "env", "--default-signal=INT", "bash"));
      command.add(copy.script().toString());
      command.addAll(wire.clientArgs("-c", "100", "-i", "0.2"));
      try (Launched ping = Launched.start("ping", command)) {
        ping.awaitLines(REPLY, 3, WAIT);
        assertThat(copy.aotFiles()).as("the run records an AOT configuration").isNotEmpty();

        ping.signalGroup("INT");

        assertThat(ping.awaitExit(WAIT)).isZero();
        assertThat(ping.stdout()).contains("--- ping statistics ---");
        Matcher transmitted = ping.firstMatch(TRANSMITTED);
        assertThat(Integer.parseInt(transmitted.group(1))).isBetween(3, 99);
        assertThat(ping.stdout()).noneMatch(line -> line.contains("AOTConfiguration"));
      }
      copy.awaitTheCacheAlone(WAIT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  @ExtendWith(KafkaBrokerExtension.class)
  void shouldPrintTheSummaryAndStillBuildTheAotCacheWhenTheFirstRunsPidIsSignalled(
      String signal, KafkaBroker broker, @TempDir Path root) throws Exception {
    BinPingCopy copy = BinPingCopy.in(root);
    Path jar = copy.jar();
    try (Wire wire = new Wire(broker.bootstrapServers());
        JavaProcess server = wire.startServer("pong", Map.of())) {
      List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", "bash"));
      command.add(copy.script().toString());
      command.addAll(wire.clientArgs("-c", "100", "-i", "0.2"));
      try (Launched ping = Launched.start("ping", command)) {
        ping.awaitLines(REPLY, 3, WAIT);
        assertThat(copy.aotFiles()).as("the run records an AOT configuration").isNotEmpty();

        // To the launcher's pid alone, as kill, timeout or a supervisor sends it.
        ping.signal(signal);

        int exit = ping.awaitExit(WAIT);
        assertThat(otherJvmsRunning(jar)).as("java left running after the launcher").isEmpty();
        assertThat(exit).isZero();
        assertThat(ping.stdout()).contains("--- ping statistics ---");
        Matcher transmitted = ping.firstMatch(TRANSMITTED);
        assertThat(Integer.parseInt(transmitted.group(1))).isBetween(3, 99);
        assertThat(ping.stderr()).isEmpty();
      }
      copy.awaitTheCacheAlone(WAIT);
    }
  }

  @Test
  @ExtendWith(KafkaBrokerExtension.class)
  void shouldRunPongWithItsBoundedHeapAndItsArgumentsWhenPongJavaOptsIsUnset(KafkaBroker broker)
      throws Exception {
    PongJvm jvm = runBinPong(broker, Map.of());

    assertThat(jvm.arguments()).isEqualTo(BIN_PONG_FLAGS);
    assertThat(jvm.flags())
        .contains("-XX:MaxHeapSize=134217728", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  }

  @Test
  @ExtendWith(KafkaBrokerExtension.class)
  void shouldRunPongWithPongJavaOptsInPlaceOfItsFlagsWhenItIsSet(KafkaBroker broker)
      throws Exception {
    String opts = "-Xmx96m -XX:+UseParallelGC -Dkafkaping.launcher-test=pong-java-opts";
    PongJvm jvm = runBinPong(broker, Map.of("PONG_JAVA_OPTS", opts));

    assertThat(jvm.arguments()).isEqualTo(opts);
    assertThat(jvm.flags())
        .contains("-XX:MaxHeapSize=100663296", "-XX:+UseParallelGC")
        .doesNotContain("UseSerialGC", "TieredStopAtLevel");
  }

  @Test
  void shouldExitTwoWithItsHintWhenTheOnlyJavaFindJavaFindsIsAJava17(@TempDir Path dir)
      throws Exception {
    String path = pathWithAFakeJava(dir, "17.0.9");
    Path emptyJvmRoot = Files.createDirectories(dir.resolve("empty-jvm-root"));

    FindJava found = findJava(dir, path, null, emptyJvmRoot);

    assertThat(found.exit()).isEqualTo(2);
    assertThat(found.stderr())
        .containsExactly(
            "kafka-ping needs JDK 21 or newer: set JAVA_HOME or install one (e.g. under"
                + " /usr/lib/jvm)");
    assertThat(found.stdout()).isEmpty();
    // It asked the java on the PATH for its version, and turned it down.
    assertThat(dir.resolve("asked")).content().contains("-XshowSettings:properties");
  }

  @Test
  void shouldPrintJavaHomesJavaAndItsVersionWhenJavaHomeIsAJdk21OrNewer(@TempDir Path dir)
      throws Exception {
    String path = pathWithAFakeJava(dir, "17.0.9");
    String javaHome = System.getProperty("java.home");

    FindJava found = findJava(dir, path, javaHome, null);

    assertThat(found.exit()).isZero();
    // This build's JDK (25 here), its version read from its release file.
    assertThat(found.stdout())
        .containsExactly(javaHome + "/bin/java " + System.getProperty("java.version"));
    assertThat(found.stderr()).isEmpty();
    assertThat(dir.resolve("asked")).as("JAVA_HOME comes before the PATH").doesNotExist();
  }

  /** bin/pong's JVM as the JVM itself tells it: the flags it was given, and those in effect. */
  private record PongJvm(String arguments, String flags) {}

  /**
   * Runs bin/pong with some flags of its own until it answers; checks that they reached pong (its
   * ready line names them) and asks its JVM, through jcmd, what it was started with.
   */
  private static PongJvm runBinPong(KafkaBroker broker, Map<String, String> env) throws Exception {
    try (Wire wire = new Wire(broker.bootstrapServers())) {
      List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", "bash"));
      command.add(ROOT.resolve("bin/pong").toString());
      command.addAll(wire.serverArgs("--budget", "7s", "--max-in-flight", "77"));
      try (Launched pong = Launched.start("pong", command, env)) {
        pong.awaitLine(line -> line.contains("pong server answering"), WAIT);
        assertThat(pong.stderr())
            .anySatisfy(
                line ->
                    assertThat(line)
                        .contains("(group " + wire.group + ", budget 7000 ms, max in flight 77,"));
        String commandLine = jcmd(pong.pid(), "VM.command_line");
        assertThat(commandLine)
            .contains("java_command: " + ROOT.resolve("ping-server/target/pong.jar") + " -b ");
        String arguments =
            commandLine
                .lines()
                .filter(line -> line.startsWith("jvm_args: "))
                .map(line -> line.substring("jvm_args: ".length()).strip())
                .findFirst()
                .orElse("");
        return new PongJvm(arguments, jcmd(pong.pid(), "VM.flags"));
      }
    }
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("jcmd " + command).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** What one run of bin/find-java printed, and its exit code. */
  private record FindJava(int exit, List<String> stdout, List<String> stderr) {}

  /**
   * Runs bin/find-java with this PATH and JAVA_HOME (none when null). With {@code jvmRoot}, it sees
   * that directory as /usr/lib/jvm, in a mount namespace of its own: find-java reads the real path,
   * and no variable points it elsewhere.
   */
  private static FindJava findJava(Path dir, String path, String javaHome, Path jvmRoot)
      throws Exception {
    String findJava = ROOT.resolve("bin/find-java").toString();
    List<String> command = List.of(findJava);
    if (jvmRoot != null && Files.isDirectory(Path.of("/usr/lib/jvm"))) {
      command =
          List.of(
              "/usr/bin/unshare",
              "--user",
              "--map-root-user",
              "--mount",
              "/bin/sh",
              "-c",
              "/bin/mount --bind \"$0\" /usr/lib/jvm && exec \"$1\"",
              jvmRoot.toString(),
              findJava);
      List<String> probe = new ArrayList<>(command.subList(0, 4));
      probe.add("/bin/true");
      assumeTrue(
          Files.isExecutable(Path.of("/bin/mount"))
              && new ProcessBuilder(probe).start().waitFor() == 0,
          "hiding /usr/lib/jvm needs unshare, mount and user namespaces");
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JAVA_HOME");
    if (javaHome != null) {
      builder.environment().put("JAVA_HOME", javaHome);
    }
    builder.environment().put("PATH", path);
    Path out = dir.resolve("find-java.out");
    Path err = dir.resolve("find-java.err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("find-java ended").isTrue();
    return new FindJava(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  /**
   * A PATH with a fake {@code java} first, which reports {@code version} as java does and notes in
   * {@code dir/asked} that it was asked, and then only the tools find-java itself uses.
   */
  private static String pathWithAFakeJava(Path dir, String version) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("fake-jdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "echo \"$@\" >> '"
            + dir.resolve("asked")
            + "'\n"
            + "echo '    java.version = "
            + version
            + "' >&2\n"
            + "echo 'openjdk version \""
            + version
            + "\"' >&2\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Path tools = Files.createDirectories(dir.resolve("tools"));
    for (String tool : List.of("bash", "dirname", "readlink", "sed", "grep", "ls", "sort", "awk")) {
      Files.createSymbolicLink(tools.resolve(tool), onThePath(tool));
    }
    return bin + ":" + tools;
  }

  private static Path onThePath(String tool) {
    return Stream.of(System.getenv("PATH").split(":"))
        .map(directory -> Path.of(directory, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new AssertionError(tool + " is not on the PATH"));
  }

  /**
   * JVMs still running {@code jar}, other than the one assembling its AOT cache; destroyed once
   * found, so that an orphaned ping does not go on pinging after the test.
   */
  private static List<String> otherJvmsRunning(Path jar) {
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(
                process ->
                    process
                        .info()
                        .commandLine()
                        .filter(line -> line.contains(jar.toString()))
                        .filter(line -> !line.contains("-XX:AOTMode=create"))
                        .isPresent())
            .toList();
    List<String> described =
        left.stream()
            .map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
            .toList();
    left.forEach(ProcessHandle::destroyForcibly);
    return described;
  }

  /** A launcher run through bash, its output lines collected as they arrive. */
  static final class Launched implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private Launched(String name, Process process) {
      this.process = process;
      readers.add(pump(name + " out", process.getInputStream(), out));
      readers.add(pump(name + " err", process.getErrorStream(), err));
    }

    static Launched start(String name, List<String> command) throws IOException {
      return start(name, command, Map.of());
    }

    /** With more environment variables, e.g. {@code PONG_JAVA_OPTS}. */
    static Launched start(String name, List<String> command, Map<String, String> env)
        throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command);
      // The launchers find this JDK first; tracing off, as in every system test without a
      // collector.
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().put("OTEL_TRACES_EXPORTER", "none");
      builder.environment().putAll(env);
      return new Launched(name, builder.start());
    }

    /** The launched process's pid, which is the JVM's once the launcher has exec'd it. */
    long pid() {
      return process.pid();
    }

    private static Thread pump(String label, InputStream stream, List<String> sink) {
      return Thread.ofPlatform()
          .daemon()
          .name(label)
          .start(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                  for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.add(line);
                    System.out.println("[" + label + "] " + line);
                  }
                } catch (IOException ignored) {
                  // the process went away
                }
              });
    }

    void awaitLine(Predicate<String> matcher, Duration timeout) {
      Await.until(
          "a matching line (the output is in the test log)",
          timeout,
          () -> out.stream().anyMatch(matcher) || err.stream().anyMatch(matcher));
    }

    void awaitLines(Pattern pattern, int count, Duration timeout) {
      Await.until(
          count + " lines matching " + pattern + " (the output is in the test log)",
          timeout,
          () -> out.stream().filter(line -> pattern.matcher(line).matches()).count() >= count);
    }

    Matcher firstMatch(Pattern pattern) {
      return out.stream()
          .map(pattern::matcher)
          .filter(Matcher::matches)
          .findFirst()
          .orElseThrow(() -> new AssertionError("no line matches " + pattern + " in " + out));
    }

    /** Sends a signal to the launched process (the JVM itself when the launcher exec's it). */
    void signal(String name) throws IOException, InterruptedException {
      kill("-" + name, Long.toString(process.pid()));
    }

    /** Sends a signal to the launched process's group, as a terminal does for Ctrl-C. */
    void signalGroup(String name) throws IOException, InterruptedException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String processGroup = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2];
      assertThat(processGroup)
          .as("setsid made the launcher its group's leader")
          .isEqualTo(Long.toString(process.pid()));
      kill("-" + name, "--", "-" + processGroup);
    }

    private static void kill(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("kill"));
      command.addAll(List.of(args));
      Process kill = new ProcessBuilder(command).inheritIO().start();
      assertThat(kill.waitFor()).as(String.join(" ", command)).isZero();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + timeout + "; output: " + out + err);
      }
      for (Thread reader : readers) {
        reader.join(Duration.ofSeconds(5));
      }
      return process.exitValue();
    }

    List<String> stdout() {
      return List.copyOf(out);
    }

    List<String> stderr() {
      return List.copyOf(err);
    }

    @Override
    public void close() throws InterruptedException {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

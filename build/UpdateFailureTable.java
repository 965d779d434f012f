import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rewrites README.org's two generated tables from what the system tests measured, so that README's
 * figures are those of a real run: the failure table (system-tests/target/failure-table.org) and
 * the failover times (system-tests/target/failover-times.org); the last row of each scenario wins.
 * {@code java build/UpdateFailureTable.java} after {@code mvn -B verify}. With {@code --check}
 * (.ci/run) it changes nothing and fails when a table in README lists other scenarios than the run
 * measured: only the measured figures may differ.
 */
public class UpdateFailureTable {
  record Table(String name, Path rows, String header) {
    String begin() {
      return "# " + name + ":begin";
    }

    String end() {
      return "# " + name + ":end";
    }
  }

  private static final List<Table> TABLES =
      List.of(
          new Table(
              "failure-table",
              Path.of("system-tests/target/failure-table.org"),
              "| scenario | pings | answered | lost | duplicated | most pongs for one ping |\n"
                  + "|---+---+---+---+---+---|"),
          new Table(
              "failover-times",
              Path.of("system-tests/target/failover-times.org"),
              "| what was timed | took |\n|---+---|"));

  public static void main(String[] args) throws Exception {
    boolean check = args.length > 0 && args[0].equals("--check");
    Path readme = Path.of("README.org");
    List<String> lines = Files.readAllLines(readme);
    boolean differs = false;
    for (Table table : TABLES) {
      Map<String, String> measured = new TreeMap<>();
      for (String row : Files.readAllLines(table.rows())) {
        measured.put(scenario(row), row);
      }
      int begin = lines.indexOf(table.begin());
      int end = lines.indexOf(table.end());
      if (begin < 0 || end < begin) {
        throw new IllegalStateException(
            "README.org has no " + table.begin() + " ... " + table.end() + " block");
      }
      if (check) {
        differs |= !sameScenarios(table, lines.subList(begin, end), measured);
        continue;
      }
      List<String> block = new ArrayList<>();
      block.add(table.begin());
      block.add("From the system tests of a run of =mvn -B verify= on " + LocalDate.now() + ":");
      block.add("");
      block.addAll(table.header().lines().toList());
      block.addAll(measured.values());
      block.add(table.end());
      List<String> updated = new ArrayList<>(lines.subList(0, begin));
      updated.addAll(block);
      updated.addAll(lines.subList(end + 1, lines.size()));
      lines = updated;
      System.out.println("README.org: " + measured.size() + " rows from " + table.rows());
    }
    if (differs) {
      System.err.println("Run java build/UpdateFailureTable.java and commit README.org.");
      System.exit(1);
    }
    if (!check) {
      Files.write(readme, lines);
    }
  }

  private static String scenario(String row) {
    return row.split("\\|")[1].strip();
  }

  private static boolean sameScenarios(
      Table table, List<String> block, Map<String, String> measured) {
    TreeMap<String, String> documented = new TreeMap<>();
    for (String line : block) {
      if (line.startsWith("| ") && !line.startsWith(table.header().lines().findFirst().get())) {
        documented.put(scenario(line), line);
      }
    }
    if (!documented.keySet().equals(measured.keySet())) {
      System.err.println(
          "README.org's " + table.name() + " lists other rows than this run measured.");
      System.err.println("Only in README: " + minus(documented.keySet(), measured.keySet()));
      System.err.println("Only measured:  " + minus(measured.keySet(), documented.keySet()));
      return false;
    }
    System.out.println(
        "README.org's " + table.name() + ": the " + measured.size() + " rows this run measured:");
    measured.values().forEach(System.out::println);
    return true;
  }

  private static List<String> minus(Set<String> a, Set<String> b) {
    return a.stream().filter(x -> !b.contains(x)).toList();
  }
}

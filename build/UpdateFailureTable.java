import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rewrites the failure table in README.org from the rows the system tests measured
 * (system-tests/target/failure-table.org; the last row of each scenario wins), so that README's
 * figures are those of a real run: {@code java build/UpdateFailureTable.java} after {@code mvn -B
 * verify}. With {@code --check} (.ci/run) it changes nothing and fails when README's table lists
 * other scenarios than the run measured: only the measured figures may differ.
 */
public class UpdateFailureTable {
  private static final String BEGIN = "# failure-table:begin";
  private static final String END = "# failure-table:end";

  public static void main(String[] args) throws Exception {
    Path rows = Path.of("system-tests/target/failure-table.org");
    Path readme = Path.of("README.org");
    Map<String, String> byScenario = new TreeMap<>();
    for (String row : Files.readAllLines(rows)) {
      byScenario.put(scenario(row), row);
    }
    if (args.length > 0 && args[0].equals("--check")) {
      check(readme, byScenario);
      return;
    }
    List<String> table = new ArrayList<>();
    table.add(BEGIN);
    table.add("From the system tests of a run of =mvn -B verify= on " + LocalDate.now() + ":");
    table.add("");
    table.add("| scenario | pings | answered | lost | duplicated | most pongs for one ping |");
    table.add("|---+---+---+---+---+---|");
    table.addAll(byScenario.values());
    table.add(END);
    List<String> lines = Files.readAllLines(readme);
    int begin = lines.indexOf(BEGIN);
    int end = lines.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("README.org has no " + BEGIN + " ... " + END + " block");
    }
    List<String> updated = new ArrayList<>(lines.subList(0, begin));
    updated.addAll(table);
    updated.addAll(lines.subList(end + 1, lines.size()));
    Files.write(readme, updated);
    System.out.println("README.org: " + byScenario.size() + " rows from " + rows);
  }

  private static String scenario(String row) {
    return row.split("\\|")[1].strip();
  }

  private static void check(Path readme, Map<String, String> measured) throws Exception {
    List<String> lines = Files.readAllLines(readme);
    int begin = lines.indexOf(BEGIN);
    int end = lines.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("README.org has no " + BEGIN + " ... " + END + " block");
    }
    TreeMap<String, String> documented = new TreeMap<>();
    for (String line : lines.subList(begin, end)) {
      if (line.startsWith("| ") && !line.startsWith("| scenario")) {
        documented.put(scenario(line), line);
      }
    }
    if (!documented.keySet().equals(measured.keySet())) {
      System.err.println(
          "README.org's failure table lists other scenarios than this run measured.");
      System.err.println("Only in README: " + minus(documented.keySet(), measured.keySet()));
      System.err.println("Only measured:  " + minus(measured.keySet(), documented.keySet()));
      System.err.println("Run java build/UpdateFailureTable.java and commit README.org.");
      System.exit(1);
    }
    System.out.println(
        "README.org's failure table: the " + measured.size() + " scenarios this run measured:");
    measured.values().forEach(System.out::println);
  }

  private static List<String> minus(java.util.Set<String> a, java.util.Set<String> b) {
    return a.stream().filter(x -> !b.contains(x)).toList();
  }
}

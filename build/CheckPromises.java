import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks README.org's promise table: every row names at least one test, every test class it names
 * exists under a module's src/test/java, and every method it names (=Class.method=) is declared in
 * that class by exactly that name, so that a renamed or deleted test cannot leave a promise unheld.
 * Run by the build: {@code java build/CheckPromises.java README.org}.
 */
public class CheckPromises {
  private static final String HEADING = "** Promises and the tests that hold them";
  private static final Pattern REFERENCE =
      Pattern.compile("=([A-Z][A-Za-z0-9]*(?:Test|IT))(?:\\.([a-z][A-Za-z0-9]*))?=");

  public static void main(String[] args) throws IOException {
    Path readme = Path.of(args.length > 0 ? args[0] : "README.org");
    Map<String, String> testSources = testSources(readme.toAbsolutePath().getParent());
    List<String> problems = new ArrayList<>();
    int rows = 0;
    int references = 0;
    boolean inSection = false;
    for (String line : Files.readAllLines(readme)) {
      if (line.startsWith("*")) {
        inSection = line.equals(HEADING);
        continue;
      }
      if (!inSection
          || !line.startsWith("|")
          || line.startsWith("|---")
          || line.startsWith("| promise")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (cells.length < 3) {
        problems.add("row without a test column: " + line);
        continue;
      }
      rows++;
      String heldBy = cells[cells.length - 1];
      if (heldBy.contains("…")) {
        problems.add("abbreviated test name (write it out): " + heldBy.strip());
      }
      Matcher matcher = REFERENCE.matcher(heldBy);
      int found = 0;
      while (matcher.find()) {
        found++;
        references++;
        String type = matcher.group(1);
        String method = matcher.group(2);
        String source = testSources.get(type);
        if (source == null) {
          problems.add("no test class " + type + " (row: " + cells[1].strip() + ")");
        } else if (method != null
            && !Pattern.compile("\\bvoid " + Pattern.quote(method) + "\\(")
                .matcher(source)
                .find()) {
          problems.add(
              "no test method " + type + "." + method + " (row: " + cells[1].strip() + ")");
        }
      }
      if (found == 0) {
        problems.add("a promise no test holds: " + cells[1].strip());
      }
    }
    if (rows == 0) {
      problems.add(readme + " has no rows under '" + HEADING + "'");
    }
    problems.forEach(problem -> System.err.println("README promise table: " + problem));
    System.out.println(
        "README promise table: " + rows + " promises, " + references + " test references");
    if (!problems.isEmpty()) {
      System.exit(1);
    }
  }

  private static Map<String, String> testSources(Path root) throws IOException {
    Map<String, String> sources = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file :
          walk.filter(
                  p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java"))
              .filter(p -> !p.toString().contains("/target/"))
              .toList()) {
        String name = file.getFileName().toString().replace(".java", "");
        sources.put(name, Files.readString(file));
      }
    }
    return sources;
  }
}

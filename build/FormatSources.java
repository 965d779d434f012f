import com.google.googlejavaformat.java.Formatter;
import com.google.googlejavaformat.java.FormatterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Formats every Java file under the given roots with google-java-format. Run by the build on the
 * toolchain JDK (21+), because the formatter parses with the running JDK's javac and Maven itself
 * may run on an older one that cannot read Java 21 syntax. With "check" it only reports.
 */
public class FormatSources {
  public static void main(String[] args) throws IOException {
    boolean check = args.length > 0 && args[0].equals("check");
    List<Path> roots = Stream.of(args).filter(a -> !a.equals("check") && !a.equals("apply")).map(Path::of).toList();
    Formatter formatter = new Formatter();
    int changed = 0;
    int failed = 0;
    for (Path root : roots) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(root)) {
        files =
            walk.filter(p -> p.toString().endsWith(".java"))
                .filter(p -> p.toString().contains("/src/"))
                .filter(p -> !p.toString().contains("/target/"))
                .sorted()
                .toList();
      }
      for (Path file : files) {
        String source = Files.readString(file);
        try {
          String formatted = formatter.formatSourceAndFixImports(source);
          if (!formatted.equals(source)) {
            changed++;
            if (check) {
              System.err.println("not formatted: " + file);
            } else {
              Files.writeString(file, formatted);
            }
          }
        } catch (FormatterException e) {
          failed++;
          System.err.println(file + ": " + e.getMessage());
        }
      }
    }
    System.out.println("google-java-format: " + changed + " file(s) " + (check ? "need formatting" : "formatted"));
    if (failed > 0 || (check && changed > 0)) {
      System.exit(1);
    }
  }
}

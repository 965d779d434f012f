import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;

/**
 * Renders each given .puml to an .svg beside it (apply) or fails when a committed .svg differs from
 * what the pinned PlantUML renders now (check). Run by the build with the PlantUML jar on the
 * class path; needs no graphviz for these diagrams.
 */
public class RenderDiagrams {
  public static void main(String[] args) throws Exception {
    boolean check = args[0].equals("check");
    int stale = 0;
    for (String name : List.of(args).subList(1, args.length)) {
      Path source = Path.of(name);
      Path target = Path.of(name.replaceAll("\\.puml$", ".svg"));
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      new SourceStringReader(Files.readString(source))
          .outputImage(svg, new FileFormatOption(FileFormat.SVG).withSvgLinkTarget("_top"));
      String rendered = svg.toString(StandardCharsets.UTF_8);
      if (rendered.contains("Syntax Error") || rendered.contains("Cannot find")) {
        System.err.println(source + ": PlantUML reports an error; see " + target);
        stale++;
      }
      boolean same = Files.exists(target) && Files.readString(target).equals(rendered);
      if (check && !same) {
        System.err.println(target + " is stale: run mvn -B -N process-sources -Ddiagrams.mode=apply");
        stale++;
      } else if (!check && !same) {
        Files.writeString(target, rendered);
        System.out.println("rendered " + target);
      }
    }
    if (stale > 0) {
      System.exit(1);
    }
  }
}

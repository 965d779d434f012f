package dev.kafkaping.devkafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The project's docker-compose.yml, read the way Docker Compose reads it (as far as we need). */
final class ComposeFile {
  private final JsonNode services;

  private ComposeFile(JsonNode services) {
    this.services = services;
  }

  static ComposeFile load() throws IOException {
    Path root = Path.of(System.getProperty("kafkaping.root", "..")).toAbsolutePath().normalize();
    JsonNode file = new YAMLMapper().readTree(root.resolve("docker-compose.yml").toFile());
    return new ComposeFile(file.path("services"));
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    return names;
  }

  String image(String service) {
    return service(service).path("image").asText();
  }

  /** The container's environment; both the map and the {@code KEY=VALUE} list forms. */
  Map<String, String> environment(String service) {
    JsonNode environment = service(service).path("environment");
    Map<String, String> variables = new LinkedHashMap<>();
    if (environment.isArray()) {
      for (JsonNode entry : environment) {
        String[] keyValue = entry.asText().split("=", 2);
        if (keyValue.length == 2) {
          variables.put(keyValue[0], keyValue[1]);
        }
      }
    } else {
      for (Map.Entry<String, JsonNode> entry : environment.properties()) {
        // A variable without a value comes from the host's environment: not the file's to say.
        if (!entry.getValue().isNull()) {
          variables.put(entry.getKey(), entry.getValue().asText());
        }
      }
    }
    return variables;
  }

  /** Published ports as written, {@code HOST:CONTAINER}. */
  List<String> ports(String service) {
    List<String> ports = new ArrayList<>();
    service(service).path("ports").forEach(port -> ports.add(port.asText()));
    return ports;
  }

  /** The command, its list entries joined by spaces. */
  String command(String service) {
    JsonNode command = service(service).path("command");
    if (!command.isArray()) {
      return command.asText();
    }
    List<String> parts = new ArrayList<>();
    command.forEach(part -> parts.add(part.asText()));
    return String.join(" ", parts);
  }

  private JsonNode service(String name) {
    JsonNode service = services.path(name);
    if (service.isMissingNode()) {
      throw new AssertionError("docker-compose.yml has no service '" + name + "'");
    }
    return service;
  }
}

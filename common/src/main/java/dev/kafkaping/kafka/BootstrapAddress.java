package dev.kafkaping.kafka;

import dev.kafkaping.cli.UserError;
import java.util.Arrays;
import java.util.List;

/** One {@code HOST:PORT} of a bootstrap list, as the user wrote it. */
record BootstrapAddress(String text, String host, int port) {

  /** Every address of a comma-separated list; a malformed one is the user's error. */
  static List<BootstrapAddress> parseAll(String bootstrapServers) {
    return Arrays.stream(bootstrapServers.split(",")).map(BootstrapAddress::parse).toList();
  }

  static BootstrapAddress parse(String address) {
    String trimmed = address.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new UserError("bootstrap server '" + trimmed + "' is not HOST:PORT");
    }
    String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
    try {
      return new BootstrapAddress(trimmed, host, Integer.parseInt(trimmed.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new UserError("bootstrap server '" + trimmed + "' has no valid port");
    }
  }
}

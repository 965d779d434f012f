package dev.kafkaping.message;

import java.util.UUID;

/** Session ids on the wire, in either format. */
public final class Uuids {
  private Uuids() {}

  /** Parses a UUID in its canonical 36-character form; {@code path} names the field in errors. */
  public static UUID parseCanonical(String text, String path) throws MalformedMessageException {
    try {
      // UUID.fromString accepts short groups such as "1-2-3-4-5"; insist on the canonical form.
      UUID uuid = UUID.fromString(text);
      if (text.length() == 36 && uuid.toString().equalsIgnoreCase(text)) {
        return uuid;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw new MalformedMessageException("field '" + path + "' is not a UUID: " + abbreviate(text));
  }

  private static String abbreviate(String text) {
    String quoted = '"' + text + '"';
    return quoted.length() <= 48 ? quoted : quoted.substring(0, 45) + "...";
  }
}

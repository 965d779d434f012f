package dev.kafkaping.client;

import dev.kafkaping.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The request value given with {@code --payload}: the text itself (UTF-8), or after a leading
 * {@code @} the bytes of the file it names, read once at the start.
 */
record Payload(byte[] bytes) {

  static Payload of(String argument) {
    if (!argument.startsWith("@")) {
      return new Payload(argument.getBytes(StandardCharsets.UTF_8));
    }
    String file = argument.substring(1);
    if (file.isEmpty()) {
      throw new UserError("--payload @ needs a file name after the '@'");
    }
    try {
      return new Payload(Files.readAllBytes(Path.of(file)));
    } catch (IOException | InvalidPathException e) {
      throw new UserError("cannot read --payload " + argument + ": " + describe(e));
    }
  }

  private static String describe(Exception e) {
    return switch (e) {
      case NoSuchFileException n -> "no such file";
      case AccessDeniedException a -> "permission denied";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }

  // A record compares arrays by reference; a payload is its bytes.
  @Override
  public boolean equals(Object other) {
    return other instanceof Payload(byte[] otherBytes) && Arrays.equals(bytes, otherBytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Payload[" + bytes.length + " bytes]";
  }
}

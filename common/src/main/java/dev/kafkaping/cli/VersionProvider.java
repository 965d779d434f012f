package dev.kafkaping.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest written by the build. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
      "${COMMAND-NAME} " + (version == null ? "(development build)" : version),
      "Java " + Runtime.version()
    };
  }
}

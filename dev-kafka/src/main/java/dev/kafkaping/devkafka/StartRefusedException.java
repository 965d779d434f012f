package dev.kafkaping.devkafka;

/**
 * Why a development broker will not start, as one line for the user. It is thrown before anything
 * in the data directory is formatted, read or started, so nothing has changed.
 */
public final class StartRefusedException extends RuntimeException {
  StartRefusedException(String message) {
    super(message, null, false, false);
  }
}

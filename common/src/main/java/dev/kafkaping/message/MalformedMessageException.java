package dev.kafkaping.message;

/** A record value that is not a valid message; the message says what was wrong with it. */
public final class MalformedMessageException extends Exception {
  public MalformedMessageException(String reason) {
    super(reason, null, false, false);
  }
}

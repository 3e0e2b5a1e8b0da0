package chat.bench;

/** A run could not be carried out; the message is for people. */
final class BenchException extends Exception {
  BenchException(String message) {
    super(message, null, false, false);
  }
}

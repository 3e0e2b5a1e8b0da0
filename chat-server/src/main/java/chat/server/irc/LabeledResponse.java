package chat.server.irc;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * IRCv3 {@code labeled-response}: how a command's lines go out once they are all in. Without a
 * label, as they are; with one, an {@code ACK} when there are none, the label on the only line
 * (or on the first, for a client without {@code batch}), else a {@code labeled-response} batch
 * around them all (a line already in a batch of its own, such as history, keeps it).
 */
final class LabeledResponse {
  private LabeledResponse() {}

  /**
   * @param label the command's label, or null
   * @param batches the client has {@code batch}
   * @param nextBatch a fresh batch id
   */
  static void write(String label, List<IrcMessage> lines, String server, boolean batches,
      Supplier<String> nextBatch, Consumer<IrcMessage> out) {
    if (label == null) {
      lines.forEach(out);
      return;
    }
    if (lines.isEmpty()) {
      out.accept(IrcMessage.of(server, "ACK").withTag("label", label));
    } else if (lines.size() == 1 || !batches) {
      out.accept(lines.get(0).withTag("label", label));
      lines.subList(1, lines.size()).forEach(out);
    } else {
      String id = nextBatch.get();
      out.accept(IrcMessage.of(server, "BATCH", "+" + id, "labeled-response")
          .withTag("label", label));
      for (IrcMessage line : lines) {
        out.accept(line.tags().containsKey("batch") ? line : line.withTag("batch", id));
      }
      out.accept(IrcMessage.of(server, "BATCH", "-" + id));
    }
  }
}

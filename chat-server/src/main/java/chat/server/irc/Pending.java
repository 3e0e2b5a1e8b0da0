package chat.server.irc;

import java.util.ArrayList;
import java.util.List;

/**
 * One IRC command's replies, held until every earlier command's have been written (see
 * {@link IrcConnection}): the lines it caused so far and the core requests it still waits for.
 * Event loop only.
 */
final class Pending {
  final String label;
  final List<IrcMessage> lines = new ArrayList<>();
  final List<Sub> subs = new ArrayList<>(2);
  int outstanding;
  boolean sealed;
  /** Close the connection once this entry is written, for this reason. */
  String closeWith;

  Pending(String label) {
    this.label = label;
  }

  boolean done() {
    return sealed && outstanding == 0;
  }
}

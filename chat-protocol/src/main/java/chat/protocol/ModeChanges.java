package chat.protocol;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;

/**
 * The {@code changes} of a {@code mode} request and event, and the IRC-style short form people
 * type: {@code +ik secret} is {@code [{"mode":"+i"},{"mode":"+k","arg":"secret"}]}.
 *
 * <p>Letters: flags {@code i} (invite-only), {@code k} (key), {@code l} (member limit),
 * {@code m} (moderated), {@code n} (no outside messages), {@code s} (secret), {@code t} (topic
 * by operators only); member status {@code o} (operator), {@code v} (voice); lists {@code b} (bans),
 * {@code q} (mutes), {@code I} (invitations).
 */
public final class ModeChanges {
  private ModeChanges() {}

  /** Every mode letter the protocol knows. */
  public static final String LETTERS = "iklmnstovbqI";

  /** One change: {@code mode} is {@code +} or {@code -} and a letter; {@code arg} may be null. */
  public record Change(String mode, String arg) {
    @Override
    public String toString() {
      return arg == null ? mode : mode + " " + arg;
    }
  }

  /** Whether {@code letter} takes an argument when added ({@code add}) or removed. */
  public static boolean takesArgument(char letter, boolean add) {
    return switch (letter) {
      case 'k', 'l' -> add;
      case 'o', 'v', 'b', 'q', 'I' -> true;
      default -> false;
    };
  }

  /**
   * Parses {@code +ik-m} with its arguments, taken in order by the letters that need one.
   *
   * @throws IllegalArgumentException naming what is wrong: an unknown letter, a missing sign, a
   *     missing or an extra argument
   */
  public static List<Change> parse(String modes, List<String> args) {
    if (modes == null || modes.isEmpty() || (modes.charAt(0) != '+' && modes.charAt(0) != '-')) {
      throw new IllegalArgumentException("modes start with + or -, e.g. +i or -k");
    }
    List<Change> changes = new ArrayList<>();
    boolean add = true;
    int next = 0;
    for (int i = 0; i < modes.length(); i++) {
      char c = modes.charAt(i);
      if (c == '+' || c == '-') {
        add = c == '+';
        continue;
      }
      if (LETTERS.indexOf(c) < 0) {
        throw new IllegalArgumentException("unknown mode " + c + " (known: " + LETTERS + ")");
      }
      String arg = null;
      if (takesArgument(c, add)) {
        if (next >= args.size()) {
          throw new IllegalArgumentException((add ? "+" : "-") + c + " needs an argument");
        }
        arg = args.get(next++);
      }
      changes.add(new Change((add ? "+" : "-") + c, arg));
    }
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("no mode letter after the sign");
    }
    if (next < args.size()) {
      throw new IllegalArgumentException("too many arguments for " + modes);
    }
    return changes;
  }

  /** The {@code changes} array of a request. */
  public static ArrayNode toJson(List<Change> changes) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Change change : changes) {
      var o = array.addObject().put(Keys.MODE, change.mode());
      if (change.arg() != null) {
        o.put(Keys.ARG, change.arg());
      }
    }
    return array;
  }

  /** The changes of a {@code mode} event or reply; missing or malformed entries are skipped. */
  public static List<Change> of(Frame frame) {
    List<Change> changes = new ArrayList<>();
    var array = frame.header().get(Keys.CHANGES);
    if (array != null && array.isArray()) {
      for (var node : array) {
        var mode = node.get(Keys.MODE);
        if (mode != null && mode.isString()) {
          var arg = node.get(Keys.ARG);
          changes.add(new Change(mode.asString(), arg != null && arg.isString() ? arg.asString()
              : null));
        }
      }
    }
    return changes;
  }
}

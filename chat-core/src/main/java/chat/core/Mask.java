package chat.core;

/**
 * Whom a ban, mute or invitation applies to: an account ({@code account:bob}, whatever nick its
 * user has) or a nick ({@code nick:Guest_7}, whoever uses it). Compared ignoring ASCII case.
 */
public record Mask(boolean account, String name) {

  public static final String ACCOUNT_PREFIX = "account:";
  public static final String NICK_PREFIX = "nick:";

  public static Mask ofAccount(String name) {
    return new Mask(true, name);
  }

  public static Mask ofNick(String nick) {
    return new Mask(false, nick);
  }

  /** {@code account:NAME} or {@code nick:NICK} as written; null for anything else. */
  public static Mask parse(String text) {
    if (text == null) {
      return null;
    }
    if (text.regionMatches(true, 0, ACCOUNT_PREFIX, 0, ACCOUNT_PREFIX.length())) {
      return ofAccount(text.substring(ACCOUNT_PREFIX.length()));
    }
    if (text.regionMatches(true, 0, NICK_PREFIX, 0, NICK_PREFIX.length())) {
      return ofNick(text.substring(NICK_PREFIX.length()));
    }
    return null;
  }

  boolean matches(Session session) {
    String value = account ? session.account() : session.nick();
    return value != null && Names.fold(value).equals(Names.fold(name));
  }

  /** Equal for masks that match the same users. */
  String key() {
    return (account ? ACCOUNT_PREFIX : NICK_PREFIX) + Names.fold(name);
  }

  @Override
  public String toString() {
    return (account ? ACCOUNT_PREFIX : NICK_PREFIX) + name;
  }
}

package chat.server.irc;

/** The IRCv3 capabilities the door offers; each one is implemented, none merely advertised. */
enum Cap {
  CAP_NOTIFY("cap-notify"),
  MESSAGE_TAGS("message-tags"),
  SERVER_TIME("server-time"),
  ECHO_MESSAGE("echo-message"),
  SASL("sasl"),
  ACCOUNT_TAG("account-tag"),
  ACCOUNT_NOTIFY("account-notify"),
  AWAY_NOTIFY("away-notify"),
  EXTENDED_JOIN("extended-join"),
  MULTI_PREFIX("multi-prefix"),
  USERHOST_IN_NAMES("userhost-in-names"),
  BATCH("batch"),
  LABELED_RESPONSE("labeled-response"),
  SETNAME("setname"),
  CHATHISTORY("draft/chathistory"),
  /** Offered only with accounts: read markers are theirs. */
  READ_MARKER("draft/read-marker"),
  /** AWAY, ACCOUNT and SETNAME of watched (MONITOR) users too, with the matching cap. */
  EXTENDED_MONITOR("extended-monitor"),
  /** REGISTER: an account for the current nick, once connected. Offered only with accounts. */
  ACCOUNT_REGISTRATION("draft/account-registration");

  final String wire;

  Cap(String wire) {
    this.wire = wire;
  }

  static Cap of(String name) {
    for (Cap cap : values()) {
      if (cap.wire.equalsIgnoreCase(name)) {
        return cap;
      }
    }
    return null;
  }
}

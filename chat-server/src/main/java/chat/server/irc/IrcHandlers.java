package chat.server.irc;

/** One connection's command handlers by topic, as {@link IrcCommands} calls them. */
record IrcHandlers(IrcConnection conn, IrcRegistration registration, IrcChannels channels, IrcModes modes,
    IrcMessaging messaging, IrcWho who, IrcInfo info, IrcHistory history, IrcMarkers markers,
    IrcMonitor monitor, IrcSelf self) {}

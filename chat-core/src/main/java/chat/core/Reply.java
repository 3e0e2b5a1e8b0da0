package chat.core;

import java.util.List;

/** The answer to one command, sent to the requesting session only. */
public sealed interface Reply {

  /**
   * {@code account} is null for a guest; {@code admin} for a server administrator's account;
   * {@code resumeToken} for a guest whose client can resume (else null); {@code resumed} when
   * the hello took a dropped guest's nick and rooms back; {@code joinedDevices} when the account
   * was online already and this connection joined its other connections (and their nick).
   */
  record Welcome(String nick, String account, boolean admin, String resumeToken,
      boolean resumed, boolean joinedDevices) implements Reply {
    public Welcome(String nick, String account, boolean admin, String resumeToken,
        boolean resumed) {
      this(nick, account, admin, resumeToken, resumed, false);
    }

    public Welcome(String nick, String account, boolean admin) {
      this(nick, account, admin, null, false);
    }

    public Welcome(String nick) {
      this(nick, null, false);
    }

    public Welcome(String nick, String account) {
      this(nick, account, false);
    }
  }

  record LoggedIn(String account, String nick, boolean admin) implements Reply {
    public LoggedIn(String account, String nick) {
      this(account, nick, false);
    }
  }

  record Registered(String account) implements Reply {}

  record PrivateHistorySent(String with, int count, String firstMsgId, boolean more)
      implements Reply {}

  record NickSet(String nick) implements Reply {}

  /**
   * @param ops the members with operator status
   * @param voiced the members with voice
   * @param topic the topic, or null when none is set
   * @param lastSeq the newest entry of the room's log handed out so far: a client resumes after
   *     the highest seq it saw, and one that saw more than this (the server lost what it had not
   *     confirmed) starts again from here
   * @param skipped on a resume, how many entries after {@code since} were left out (read them
   *     with history)
   * @param owner the account the room is registered to, or null
   * @param count how many people are in the room
   * @param quiet the room is quiet ({@link CoreLimits#presenceLimit()}): {@code members},
   *     {@code ops} and {@code voiced} name the joiner only, and nobody is told of arrivals and
   *     departures; the members are fetched on demand ({@link Command.Who})
   */
  record JoinedRoom(String room, List<String> members, List<String> ops, List<String> voiced,
      Topic topic, RoomModes modes, long lastSeq, long skipped, String owner, int count,
      boolean quiet) implements Reply {
    public JoinedRoom(String room, List<String> members, List<String> ops, List<String> voiced,
        Topic topic, RoomModes modes, long lastSeq, long skipped, String owner) {
      this(room, members, ops, voiced, topic, modes, lastSeq, skipped, owner, members.size(),
          false);
    }

    public JoinedRoom(String room, List<String> members, List<String> ops, List<String> voiced,
        Topic topic, RoomModes modes) {
      this(room, members, ops, voiced, topic, modes, 0, 0, null);
    }
  }

  record LeftRoom(String room) implements Reply {}

  record RoomList(List<RoomInfo> rooms) implements Reply {}

  /**
   * @param users the members in the same order as {@code members}, with what else is known
   *     (their {@link UserInfo#rooms()} left empty)
   * @param secret the room is secret ({@code +s})
   */
  record Members(String room, List<String> members, List<String> ops, List<String> voiced,
      List<UserInfo> users, boolean secret) implements Reply {
    public Members(String room, List<String> members) {
      this(room, members, List.of(), List.of(), List.of(), false);
    }

    public Members(String room, List<String> members, List<String> ops, List<String> voiced) {
      this(room, members, ops, voiced, List.of(), false);
    }
  }

  /** The users a lookup asked for who are online, in the order asked (absent ones left out). */
  record Users(List<UserInfo> users) implements Reply {}

  /** The session's away message is now {@code message} (null: back). */
  record AwaySet(String message) implements Reply {}

  /** The session's real name is now {@code realname} (null: none). */
  record RealnameSet(String realname) implements Reply {}

  /**
   * What anyone may know about an online user.
   *
   * @param account null for a guest
   * @param realname null when none was given
   * @param away the away message, or null when present
   * @param admin a server administrator
   * @param rooms the rooms the user is in
   */
  record UserInfo(String nick, String account, String realname, String away, boolean admin,
      List<String> rooms) {}

  /** The session has server operator status by the credentials of {@code account}. */
  record Operator(String account) implements Reply {}

  /**
   * The watch list after a {@link Command.Watch}: of the nicks just added, those {@code online}
   * (as written now) and {@code offline}; {@code refused} the ones past the limit; {@code watched}
   * every nick watched now.
   */
  record Watching(List<String> online, List<String> offline, List<String> refused,
      List<String> watched) implements Reply {}

  /** A room's topic, or null when none is set (after a topic query or change). */
  record RoomTopic(String room, Topic topic) implements Reply {}

  /** The changes a mode request made (resolved); empty when it changed nothing. */
  record ModesChanged(String room, List<ModeChange> changes) implements Reply {}

  /**
   * A room's modes and lists (masks as {@code account:NAME} or {@code nick:NICK}), and when it
   * was created (epoch millis, 0 when not known).
   */
  record RoomModeList(String room, RoomModes modes, List<String> bans, List<String> mutes,
      List<String> invites, long createdTs) implements Reply {}

  record Kicked(String room, String nick) implements Reply {}

  /**
   * A room's stored state, as room administration shows it.
   *
   * @param owner the account it is registered to, or null
   * @param members members present
   * @param opAccounts accounts with operator status (besides the owner)
   * @param lastSeq the newest entry of its log
   */
  record RoomState(String room, String owner, int members, Topic topic, RoomModes modes,
      List<String> opAccounts, long lastSeq) implements Reply {}

  /** The read marker as it is now (it only moves forward, so maybe not as asked). */
  record MarkerSet(chat.core.store.ReadMarker marker) implements Reply {}

  /**
   * All of the account's read markers, and what is unread after each: {@code unread} holds one
   * count per marker, in the same order (empty when not counted).
   */
  record Markers(List<chat.core.store.ReadMarker> markers, List<UnreadCount> unread)
      implements Reply {
    public Markers(List<chat.core.store.ReadMarker> markers) {
      this(markers, List.of());
    }
  }

  /**
   * What is unread after one marker.
   *
   * @param target the marker's target (a room key, or {@code @account})
   * @param upTo the newest seq counted (rooms; 0 for a conversation)
   * @param unread others' messages after the marker
   * @param mentions those of them that mention the account's nick
   * @param more true when there are more than were counted (past the resume cap)
   */
  record UnreadCount(String target, long upTo, int unread, int mentions, boolean more) {}

  /** Every room, for admins. */
  record RoomStates(List<RoomState> rooms) implements Reply {}

  /** Done, nothing to report (quit). */
  record Done() implements Reply {}

  /**
   * A refused request.
   *
   * @param about which part of the request was refused, where it had several: for a mode
   *     request, the refused change ({@code +k}); else null
   */
  record Failed(CoreError error, String message, String about) implements Reply {
    public Failed(CoreError error, String message) {
      this(error, message, null);
    }
  }

  /**
   * A history page was sent (as {@link Event.History} events before this reply); {@code count}
   * messages, the oldest with {@code firstSeq}; {@code more} if older ones exist.
   */
  record HistorySent(String room, int count, long firstSeq, boolean more) implements Reply {}

  /**
   * Where the session has history, least recent first: a room ({@code room} set) or a
   * conversation with another account ({@code with} set), and when its newest message was
   * stamped.
   */
  record HistoryTargets(List<Target> targets) implements Reply {
    public record Target(String room, String with, long lastTs) {}
  }

  /** @param topic the topic's text, or null when none is set */
  record RoomInfo(String room, int members, String topic) {
    public RoomInfo(String room, int members) {
      this(room, members, null);
    }
  }

  // ---------------------------------------------------------------- files

  /** An upload may go on: send from {@code offset}, chunks of at most {@code chunkBytes}. */
  record UploadReady(chat.core.store.FileRecord file, long offset, int chunkBytes, int window)
      implements Reply {}

  /** A chunk is in: the upload has {@code offset} bytes. */
  record ChunkStored(String file, long offset) implements Reply {}

  /** Bytes of a file. */
  record FileBytes(chat.core.store.FileRecord file, long offset, byte[] bytes) implements Reply {}

  /** The session may see this complete, unexpired file. */
  record FileVisible(chat.core.store.FileRecord file) implements Reply {}

  /** A room's newest files, newest first. */
  record FileList(String room, List<chat.core.store.FileRecord> files) implements Reply {}
}

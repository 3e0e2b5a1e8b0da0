-- A room change made by the server (a MODE entry with no one behind it) has no sender nick, and
-- SQLite cannot drop a NOT NULL in place: messages is rebuilt, keeping every id and so the
-- append order.
CREATE TABLE messages_v2 (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  msg_id       TEXT    NOT NULL UNIQUE,
  room_key     TEXT,
  room         TEXT,
  seq          INTEGER NOT NULL,
  ts           INTEGER NOT NULL,
  from_nick    TEXT,
  from_account TEXT,
  to_nick      TEXT,
  to_account   TEXT,
  pair_key     TEXT,
  kind         TEXT    NOT NULL,
  text         TEXT    NOT NULL,
  -- The folded accounts of a private message (null for room entries), so that what one account
  -- sent and received can be found without scanning: privateSince.
  from_key     TEXT,
  to_key       TEXT
);

-- Account names are ASCII (nick syntax), where lower() is Names.fold.
INSERT INTO messages_v2 (id, msg_id, room_key, room, seq, ts, from_nick, from_account, to_nick,
    to_account, pair_key, kind, text, from_key, to_key)
  SELECT id, msg_id, room_key, room, seq, ts, from_nick, from_account, to_nick, to_account,
      pair_key, kind, text,
      CASE WHEN room_key IS NULL THEN lower(from_account) END,
      CASE WHEN room_key IS NULL THEN lower(to_account) END
  FROM messages ORDER BY id;

DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;

CREATE UNIQUE INDEX messages_room_seq ON messages (room_key, seq);
CREATE INDEX messages_pair_id ON messages (pair_key, id) WHERE pair_key IS NOT NULL;

-- Private messages from or to an account, newest first by id.
CREATE INDEX messages_from_key_id ON messages (from_key, id)
  WHERE room_key IS NULL AND from_key IS NOT NULL;
CREATE INDEX messages_to_key_id ON messages (to_key, id)
  WHERE room_key IS NULL AND to_key IS NOT NULL;

-- A room's durable state (RoomRecord); its log stays in messages.
CREATE TABLE rooms (
  room_key     TEXT    NOT NULL PRIMARY KEY,
  name         TEXT    NOT NULL,
  owner        TEXT,
  created_ts   INTEGER NOT NULL,
  changed_ts   INTEGER NOT NULL,
  -- topic_by and topic_ts mean something only when topic is not null.
  topic        TEXT,
  topic_by     TEXT,
  topic_ts     INTEGER,
  invite_only  BOOLEAN NOT NULL,
  moderated    BOOLEAN NOT NULL,
  topic_locked BOOLEAN NOT NULL,
  join_key     TEXT,
  member_limit INTEGER NOT NULL DEFAULT 0
);

-- A room's lists by IRC mode letter: b bans, q mutes, I invites (masks); o ops, v voiced
-- (accounts). position keeps the order entries were added in.
CREATE TABLE room_lists (
  room_key TEXT    NOT NULL,
  list     TEXT    NOT NULL CHECK (list IN ('b', 'q', 'I', 'o', 'v')),
  position INTEGER NOT NULL,
  entry    TEXT    NOT NULL,
  PRIMARY KEY (room_key, list, position)
);

-- target: a room key, or '@' and an account key for a conversation (ReadMarker).
CREATE TABLE read_markers (
  name_key TEXT    NOT NULL,
  target   TEXT    NOT NULL,
  seq      INTEGER NOT NULL,
  msg_id   TEXT,
  ts       INTEGER NOT NULL,
  PRIMARY KEY (name_key, target)
);

-- A room change made by the server (a MODE entry with no one behind it) has no sender nick.
ALTER TABLE messages ALTER COLUMN from_nick DROP NOT NULL;

-- The folded accounts of a private message (null for room entries), so that what one account
-- sent and received can be found without scanning: privateSince.
ALTER TABLE messages
  ADD COLUMN from_key TEXT COLLATE "C",
  ADD COLUMN to_key   TEXT COLLATE "C";

-- Account names are ASCII (nick syntax), where lower() is Names.fold whatever the locale.
UPDATE messages SET from_key = lower(from_account), to_key = lower(to_account)
  WHERE room_key IS NULL AND (from_account IS NOT NULL OR to_account IS NOT NULL);

-- Private messages from or to an account, newest first by id.
CREATE INDEX messages_from_key_id ON messages (from_key, id)
  WHERE room_key IS NULL AND from_key IS NOT NULL;
CREATE INDEX messages_to_key_id ON messages (to_key, id)
  WHERE room_key IS NULL AND to_key IS NOT NULL;

-- A room's durable state (RoomRecord); its log stays in messages.
CREATE TABLE rooms (
  room_key     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  name         TEXT    NOT NULL,
  owner        TEXT,
  created_ts   BIGINT  NOT NULL,
  changed_ts   BIGINT  NOT NULL,
  -- topic_by and topic_ts mean something only when topic is not null.
  topic        TEXT,
  topic_by     TEXT,
  topic_ts     BIGINT,
  invite_only  BOOLEAN NOT NULL,
  moderated    BOOLEAN NOT NULL,
  topic_locked BOOLEAN NOT NULL,
  join_key     TEXT,
  member_limit INTEGER NOT NULL DEFAULT 0
);

-- A room's lists by IRC mode letter: b bans, q mutes, I invites (masks); o ops, v voiced
-- (accounts). position keeps the order entries were added in.
CREATE TABLE room_lists (
  room_key TEXT COLLATE "C" NOT NULL,
  list     TEXT COLLATE "C" NOT NULL CHECK (list IN ('b', 'q', 'I', 'o', 'v')),
  position INTEGER NOT NULL,
  entry    TEXT    NOT NULL,
  PRIMARY KEY (room_key, list, position)
);

-- target: a room key, or '@' and an account key for a conversation (ReadMarker).
CREATE TABLE read_markers (
  name_key TEXT COLLATE "C" NOT NULL,
  target   TEXT COLLATE "C" NOT NULL,
  seq      BIGINT  NOT NULL,
  msg_id   TEXT,
  ts       BIGINT  NOT NULL,
  PRIMARY KEY (name_key, target)
);

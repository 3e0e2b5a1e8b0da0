-- Messages: room messages (room_key set, seq >= 1) and private messages (room_key null, seq 0).
-- id is the append order: one writer inserts in the order of the append calls.
CREATE TABLE messages (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  msg_id       TEXT    NOT NULL UNIQUE,
  room_key     TEXT,
  room         TEXT,
  seq          INTEGER NOT NULL,
  ts           INTEGER NOT NULL,
  from_nick    TEXT    NOT NULL,
  from_account TEXT,
  to_nick      TEXT,
  to_account   TEXT,
  -- The folded account pair of a private message between two accounts, smaller key first,
  -- each prefixed with its length so that no two pairs share a key; null otherwise.
  pair_key     TEXT,
  kind         TEXT    NOT NULL,
  text         TEXT    NOT NULL
);

-- Room history and lastSeq: (room_key, seq); nulls are distinct, so private messages never clash.
CREATE UNIQUE INDEX messages_room_seq ON messages (room_key, seq);

-- Private history between two accounts, newest first by id.
CREATE INDEX messages_pair_id ON messages (pair_key, id) WHERE pair_key IS NOT NULL;

CREATE TABLE accounts (
  name_key      TEXT    NOT NULL PRIMARY KEY,
  name          TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  admin         BOOLEAN NOT NULL DEFAULT FALSE,
  created_ts    INTEGER NOT NULL
);

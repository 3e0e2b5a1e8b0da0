-- Each room's last sequence number, when the store numbers entries (RoomSeqs); seeded from the
-- log on first use.
CREATE TABLE room_seqs (
  room_key TEXT    NOT NULL PRIMARY KEY,
  last_seq INTEGER NOT NULL
);

-- Each room's last sequence number, for servers that share this database: an entry takes the
-- room's next number from its row in its own transaction (the row lock orders the servers).
-- Rows are seeded from the log on first use (RoomSeqs.SEED).
CREATE TABLE room_seqs (
  room_key TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  last_seq BIGINT NOT NULL
);

-- A number for each server starting on this database, so that the message ids servers make
-- never clash (MessageIds: the number modulo 64 in the low bits).
CREATE SEQUENCE node_numbers;

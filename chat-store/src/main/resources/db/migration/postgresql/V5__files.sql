-- Shared files on PostgreSQL (chat.store.PgFileStore), so that every server of a cluster lists
-- and serves every file, and an upload begun on one server goes on on another.
-- state: 0 an upload in progress, 1 complete, 2 complete but expired (its bytes are gone, its
-- record stays so that a download says it expired). received: how many bytes of an upload are
-- in, and writes how many writes brought them, both updated in the transaction that adds them
-- (a server hashing an upload as it comes knows by writes whether another server wrote to it).
CREATE TABLE files (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  size BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT COLLATE "C" NOT NULL,
  room TEXT COLLATE "C",
  from_nick TEXT NOT NULL,
  from_account TEXT,
  to_nick TEXT,
  to_account TEXT,
  owner TEXT COLLATE "C" NOT NULL,
  created_ts BIGINT NOT NULL,
  state SMALLINT NOT NULL DEFAULT 0,
  received BIGINT NOT NULL DEFAULT 0,
  writes BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX files_room ON files (room, created_ts) WHERE state = 1;
CREATE INDEX files_owner ON files (owner);

-- Complete files' bytes by content (SHA-256, lower-case hex): two files with the same bytes
-- share one blob; refs counts the complete, unexpired files using it, and the blob goes with
-- the last of them. The row lock of an upsert or decrement orders a completion against the
-- removal of the same content on another server.
CREATE TABLE file_blobs (
  sha256 TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  size BIGINT NOT NULL,
  refs INTEGER NOT NULL
);

-- The bytes: one row per write, at its byte offset in the file. blob is the SHA-256 of a
-- complete file's content, or 'upload:' and the file id while it is being uploaded; completing
-- renames the rows (their out-of-line values are kept as they are, not copied). STORAGE
-- EXTERNAL: stored out of line uncompressed (files are often compressed already), so a
-- substring reads only the TOAST chunks it needs.
CREATE TABLE file_chunks (
  blob TEXT COLLATE "C" NOT NULL,
  pos BIGINT NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (blob, pos)
);
ALTER TABLE file_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- The key signing the web door's links to files (chat.server.FileLinks), one for the cluster,
-- so a link made by one server is good on all: the first server to start makes it.
CREATE TABLE file_link_key (
  id SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
  link_key BYTEA NOT NULL
);

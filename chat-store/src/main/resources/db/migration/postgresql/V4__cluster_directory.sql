-- Servers sharing this database (chat.store.PgDirectory): one row per server start. A server is
-- alive while its session holds the advisory lock (schema's lock class, node); seen_ts is its
-- last heartbeat, from which a dead server's grace period counts.
CREATE TABLE cluster_nodes (
  node BIGINT NOT NULL PRIMARY KEY,
  address TEXT NOT NULL,
  started_ts BIGINT NOT NULL,
  seen_ts BIGINT NOT NULL
);

-- Who holds each nick across the servers: taken in one INSERT ... ON CONFLICT DO UPDATE whose
-- WHERE says when a holder may be replaced. token is the SHA-256 of a guest's resume token.
CREATE TABLE nick_claims (
  nick_key TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  nick TEXT NOT NULL,
  node BIGINT NOT NULL,
  account TEXT,
  token TEXT,
  claimed_ts BIGINT NOT NULL
);
CREATE INDEX nick_claims_token ON nick_claims (token);
CREATE INDEX nick_claims_node ON nick_claims (node);

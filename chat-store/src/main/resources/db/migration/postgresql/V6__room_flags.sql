-- Room modes n (no messages from non-members; on unless turned off) and s (secret).
ALTER TABLE rooms ADD COLUMN no_external BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE rooms ADD COLUMN secret BOOLEAN NOT NULL DEFAULT FALSE;

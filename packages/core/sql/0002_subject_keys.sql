-- Per-subject data keys for crypto-shredding, kept by postgresSubjectKeyStore.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- A row holds one subject's data key wrapped (AES-256-GCM) under a master key the database never
-- sees; destroying the row crypto-shreds every value encrypted for that subject, so rows are
-- really deleted, never flagged. When the master key rotates, the wrapped key is replaced by the
-- same data key wrapped under the new master key, compare-and-set on (key_id, wrapped_key), so a
-- re-wrap racing an erasure updates nothing and never re-creates the row.
--
-- Subject ids are compared in byte order (COLLATE "C"), so the primary key index serves the
-- keyset pagination of the re-wrap batches the same way on every server and locale. The rows are
-- reachable by service_role only: row-level security is enabled and forced with no policy, so a
-- user-facing client reads and writes nothing here.

CREATE SCHEMA IF NOT EXISTS carequeue;
REVOKE ALL ON SCHEMA carequeue FROM PUBLIC;
GRANT USAGE ON SCHEMA carequeue TO service_role;

CREATE TABLE carequeue.subject_keys (
  subject_id text COLLATE "C" PRIMARY KEY CHECK (length(subject_id) BETWEEN 1 AND 256),
  key_id text NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64),
  wrapped_key text NOT NULL CHECK (length(wrapped_key) BETWEEN 1 AND 1024)
);

ALTER TABLE carequeue.subject_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE carequeue.subject_keys FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON carequeue.subject_keys TO service_role;

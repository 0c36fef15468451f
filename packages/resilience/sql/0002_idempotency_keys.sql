-- Idempotency keys: the claim of a running request and the stored response of a finished one.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- The store's port carries no tenant: callers scope each key themselves (`<tenantId>:<key>`), so
-- there is no tenant_id column for a tenant policy to read. The rows are therefore reachable by
-- service_role only: row-level security is enabled and forced with no policy for anon or
-- authenticated, so a user-facing client reads and writes nothing here. Responses are encrypted
-- by the application (core's field encryptor, bound to table, column and key); fingerprints are
-- SHA-256 hashes of the request payload. Times come from the application's clock.

CREATE TABLE resilience.idempotency_keys (
  key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 512),
  fingerprint text NOT NULL,
  response text,
  expires_at timestamptz NOT NULL
);

CREATE INDEX idempotency_keys_expires_idx ON resilience.idempotency_keys (expires_at);

ALTER TABLE resilience.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE resilience.idempotency_keys FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON resilience.idempotency_keys TO service_role;

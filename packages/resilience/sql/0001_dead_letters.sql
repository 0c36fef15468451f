-- Dead letters: operations that failed for good, kept for inspection, replay and purge.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- Every row belongs to a tenant. Row-level security is enabled and forced: authenticated users
-- reach only their tenant's rows through the tenant_id of their app_metadata claims; workers
-- replay and purge as service_role. Payloads are encrypted by the application (core's field
-- encryptor, bound to table, column and row); errors hold a CareQueue code and message only.
-- Times come from the application's clock, never from now(), so tests control them.

CREATE SCHEMA IF NOT EXISTS resilience;
REVOKE ALL ON SCHEMA resilience FROM PUBLIC;
GRANT USAGE ON SCHEMA resilience TO authenticated, service_role;

CREATE TABLE resilience.dead_letters (
  tenant_id uuid NOT NULL,
  id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 200),
  payload text NOT NULL,
  error_code text NOT NULL,
  error_message text NOT NULL,
  attempts integer NOT NULL CHECK (attempts > 0),
  correlation_id text,
  first_failed_at timestamptz NOT NULL,
  last_failed_at timestamptz NOT NULL,
  replayed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);

-- Replay and listing walk pending letters oldest first; purge scans by last failure.
CREATE INDEX dead_letters_pending_idx ON resilience.dead_letters (first_failed_at, tenant_id, id)
  WHERE replayed_at IS NULL;
CREATE INDEX dead_letters_kind_idx ON resilience.dead_letters (tenant_id, kind, first_failed_at);
CREATE INDEX dead_letters_last_failed_idx ON resilience.dead_letters (last_failed_at);

ALTER TABLE resilience.dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE resilience.dead_letters FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON resilience.dead_letters TO authenticated, service_role;

-- `(select auth.jwt())` is evaluated once per statement instead of once per row.
CREATE POLICY dead_letters_tenant ON resilience.dead_letters FOR ALL TO authenticated
  USING (tenant_id = nullif((SELECT auth.jwt()) -> 'app_metadata' ->> 'tenant_id', '')::uuid)
  WITH CHECK (tenant_id = nullif((SELECT auth.jwt()) -> 'app_metadata' ->> 'tenant_id', '')::uuid);

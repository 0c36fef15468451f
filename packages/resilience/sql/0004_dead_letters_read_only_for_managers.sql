-- Dead letters are written, replayed and purged by workers (service_role) only. Migration 0001
-- let every member of a tenant, patients included, read, insert, re-arm (UPDATE replayed_at) and
-- delete the tenant's dead letters. End users now keep only SELECT, and only the tenant's owners
-- and admins see any row (their kinds, codes and times; payloads stay encrypted by the
-- application). Postgres 15 compatible; runs unchanged on PGlite and Supabase.

REVOKE INSERT, UPDATE, DELETE ON resilience.dead_letters FROM authenticated;
DROP POLICY dead_letters_tenant ON resilience.dead_letters;

-- `(select auth.jwt())` is evaluated once per statement instead of once per row.
CREATE POLICY dead_letters_managers_read ON resilience.dead_letters FOR SELECT TO authenticated
  USING (tenant_id = nullif((SELECT auth.jwt()) -> 'app_metadata' ->> 'tenant_id', '')::uuid
    AND coalesce(jsonb_typeof((SELECT auth.jwt()) -> 'app_metadata' -> 'roles') = 'array'
      AND ((SELECT auth.jwt()) -> 'app_metadata' -> 'roles') ?| ARRAY['owner', 'admin'], false));

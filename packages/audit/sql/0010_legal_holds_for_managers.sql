-- Legal holds name the patient and the litigation they concern (the reason), and every member
-- of a tenant, patients included, could read them. Placing, releasing and reviewing holds is
-- compliance work: the roles holding `audit:read` (owners and admins of the tenant; workers and
-- the maintenance role as before) read them, nobody else. Postgres 15 compatible.

DROP POLICY legal_holds_tenant_read ON audit.legal_holds;
CREATE POLICY legal_holds_manager_read ON audit.legal_holds FOR SELECT TO authenticated
  USING (
    tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
    AND (SELECT coalesce(jsonb_typeof(auth.jwt() -> 'app_metadata' -> 'roles') = 'array'
      AND (auth.jwt() -> 'app_metadata' -> 'roles') ?| ARRAY['owner', 'admin'], false))
  );

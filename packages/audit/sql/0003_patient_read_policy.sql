-- Patient-scoped reads: a patient (a `patient_id` claim or the `patient` role in app_metadata)
-- reads only the events about their own patient id; every other authenticated caller of the
-- tenant (staff) reads the tenant's events. Postgres 15 compatible.

-- The caller's own patient id, or null when the claims carry none.
CREATE FUNCTION audit.claimed_patient_id() RETURNS text
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  AS $fn$ SELECT nullif(auth.jwt() -> 'app_metadata' ->> 'patient_id', '') $fn$;

-- A `patient` role without a patient id still counts as a patient, so it reads nothing rather
-- than the whole tenant.
CREATE FUNCTION audit.claims_are_patient() RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT audit.claimed_patient_id() IS NOT NULL
    OR coalesce(jsonb_typeof(auth.jwt() -> 'app_metadata' -> 'roles') = 'array'
      AND (auth.jwt() -> 'app_metadata' -> 'roles') ? 'patient', false)
$fn$;

REVOKE ALL ON FUNCTION audit.claimed_patient_id(), audit.claims_are_patient() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.claimed_patient_id(), audit.claims_are_patient()
  TO authenticated, service_role;

DROP POLICY events_tenant_read ON audit.events;
DROP POLICY chain_tenant_read ON audit.chain;

-- The sub-selects run once per statement, not once per row.
CREATE POLICY events_staff_read ON audit.events FOR SELECT TO authenticated
  USING (
    tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
    AND NOT (SELECT audit.claims_are_patient())
  );
CREATE POLICY events_patient_read ON audit.events FOR SELECT TO authenticated
  USING (
    tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
    AND patient_id = (SELECT audit.claimed_patient_id())
  );

CREATE POLICY chain_staff_read ON audit.chain FOR SELECT TO authenticated
  USING (
    tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
    AND NOT (SELECT audit.claims_are_patient())
  );
-- A patient sees the chain rows of the events they may read (the events policy applies inside).
CREATE POLICY chain_patient_read ON audit.chain FOR SELECT TO authenticated
  USING (
    tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
    AND (SELECT audit.claimed_patient_id()) IS NOT NULL
    AND EXISTS (SELECT 1 FROM audit.events e WHERE e.id = chain.event_id)
  );

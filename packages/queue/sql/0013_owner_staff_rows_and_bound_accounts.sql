-- Owners are protected (issue 21). The staff_insert and staff_update policies ask only for a
-- manager (owner or admin) of the row's tenant, and a policy cannot compare a row with what it
-- was. So an admin could take over an owner: rebind the owner's row to an account the admin
-- controls (user_id, email), demote another owner to receptionist, deactivate one, or register
-- a new owner row directly.
--
-- The trigger below holds two rules for every write to queue.staff:
--  * A row's user_id never changes once it is set (bound): not to another account, not back to
--    NULL. Binding a row that has no account yet is a change like any other. This holds for
--    every caller, trusted ones too: no code path rebinds a row, and a rebound row would carry
--    one person's audit history under another's sign-in.
--  * Only an owner of the row's tenant inserts a row holding the owner role, or changes roles,
--    user_id, email or active of a row that holds the owner role before or after the change
--    (so giving the owner role is an owner's act too). Display name and clinics stay the
--    managers' to change. Trusted callers (service_role, the owner role: core migration 0003's
--    public.carequeue_trusted_caller()) are not asked for claims: invitation acceptance inserts
--    an invited owner's row as service_role.
-- A refusal is SQLSTATE 42501, as the policies' own refusals are. Existing rows are untouched.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.

-- True for owners of the row's tenant.
CREATE FUNCTION queue.tenant_owner(claims jsonb, row_tenant uuid) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT row_tenant = queue.claim_tenant(claims)
      AND queue.claim_has_role(claims, ARRAY['owner'])
  $fn$;

-- True when the write touches an owner: a new row with the owner role, or a change to what an
-- owner is (roles), who signs in as them (user_id, email) or whether they can (active) on a row
-- that holds the owner role before or after it.
CREATE FUNCTION queue.staff_write_touches_owner(
  p_operation text, p_old queue.staff, p_new queue.staff) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT CASE p_operation
      WHEN 'INSERT' THEN 'owner' = ANY (p_new.roles)
      ELSE ('owner' = ANY (p_old.roles) OR 'owner' = ANY (p_new.roles))
        AND (p_new.roles, p_new.user_id, p_new.email, p_new.active)
          IS DISTINCT FROM (p_old.roles, p_old.user_id, p_old.email, p_old.active)
      END
  $fn$;

CREATE FUNCTION queue.guard_staff_row() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD.user_id IS NOT NULL
          AND NEW.user_id IS DISTINCT FROM OLD.user_id THEN
        PERFORM queue.refuse('staff account change');
      END IF;
      IF queue.staff_write_touches_owner(TG_OP, OLD, NEW)
          AND NOT public.carequeue_trusted_caller()
          AND NOT coalesce(queue.tenant_owner(auth.jwt(), NEW.tenant_id), false) THEN
        PERFORM queue.refuse('owner staff change');
      END IF;
      RETURN NEW;
    END
  $fn$;

CREATE TRIGGER staff_guard BEFORE INSERT OR UPDATE ON queue.staff
  FOR EACH ROW EXECUTE FUNCTION queue.guard_staff_row();

REVOKE ALL ON FUNCTION queue.guard_staff_row() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.tenant_owner(jsonb, uuid),
  queue.staff_write_touches_owner(text, queue.staff, queue.staff) TO authenticated, service_role;

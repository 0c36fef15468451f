-- The audit trail is written by the server's truth. Until now `authenticated` could INSERT into
-- audit.events and the policy checked the tenant only, so any member of a tenant could write any
-- event (a patient wrote "staff user X exported patient Y to an insurer", which was then sealed).
-- Now nobody but the owner inserts directly: appends go through audit.append_events (a batch as
-- JSON) and audit.append_event (one event as typed parameters), definer functions that
--   * for a trusted caller (service_role, or the owner's role: the server and its workers, which
--     verified who acts and keep the clock) store the events as given;
--   * for anyone else (`authenticated`: PostgREST requests and withClaims transactions) take the
--     tenant and the user id from the verified claims (refusing an event that names others), the
--     time from the SQL clock (public.carequeue_now(), core migration 0002), and let a patient
--     record only what a patient can do (audit.patient_may_append).
-- Who is trusted is judged by the database role (public.carequeue_trusted_caller()), never by a
-- role written into the claims. A refused event fails the whole call with SQLSTATE 42501 and a
-- message that names the rule, never a value. ADR 0016 records the choice.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.

REVOKE INSERT ON audit.events FROM authenticated, service_role;
DROP POLICY events_tenant_insert ON audit.events;

-- What a patient may record, all under their own user id in their own tenant (docs/adr/0016):
--   * about their own patient id: their reads (access), their exports of their own record
--     (export, as `patient:export` allows) and their changes (modification), but never an erasure;
--   * the side effects their booking has on other patients' lapsed holds and offers
--     (modification `expire-hold` and `offer-lapsed`);
--   * their own sign-in events (auth `login`, `logout`, `mfa_challenge`) about no patient.
CREATE FUNCTION audit.patient_may_append(p_category text, p_action text, p_patient_id text,
  p_own_patient_id text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
  SELECT coalesce(
    (p_category IN ('access', 'export', 'modification')
      AND p_patient_id = p_own_patient_id
      AND p_action NOT IN ('erase', 'crypto_shred'))
    OR (p_category = 'modification' AND p_action IN ('expire-hold', 'offer-lapsed'))
    OR (p_category = 'auth' AND p_action IN ('login', 'logout', 'mfa_challenge')
      AND p_patient_id IS NULL),
    false)
$fn$;

-- Why the (untrusted) caller may not append an event with these fields, or null when they may.
-- The event's own tenant and user may be null; they are filled from the claims.
CREATE FUNCTION audit.append_refusal(p_tenant uuid, p_user text, p_category text,
  p_action text, p_patient_id text) RETURNS text
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT CASE
    WHEN caller.tenant_id IS NULL OR caller.user_id IS NULL
      THEN 'the caller''s claims carry no tenant or subject'
    WHEN p_tenant IS NOT NULL AND p_tenant <> caller.tenant_id
      THEN 'the event names a tenant other than the caller''s'
    WHEN p_user IS NOT NULL AND p_user <> caller.user_id
      THEN 'the event names a user other than the caller'
    WHEN audit.claims_are_patient()
      AND NOT audit.patient_may_append(p_category, p_action, p_patient_id, audit.claimed_patient_id())
      THEN 'a patient may record only their own reads, exports, changes and sign-ins'
  END
  FROM (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid AS tenant_id,
          nullif(auth.jwt() ->> 'sub', '') AS user_id) AS caller
$fn$;

CREATE OR REPLACE FUNCTION audit.append_events(p_events jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_claims jsonb := auth.jwt();
  v_refusal text;
BEGIN
  IF public.carequeue_trusted_caller() THEN
    INSERT INTO audit.events (id, tenant_id, user_id, category, action, resource_type,
      resource_id, patient_id, outcome, old_value, new_value, changed_fields, ip_address,
      user_agent, "timestamp", metadata, purpose_of_use, recipient, disclosure_basis, session_id,
      correlation_id, data_categories, retention_class)
    SELECT r.id, r.tenant_id, r.user_id, r.category, r.action, r.resource_type, r.resource_id,
      r.patient_id, r.outcome, nullif(r.old_value, 'null'::jsonb), nullif(r.new_value, 'null'::jsonb),
      r.changed_fields, r.ip_address, r.user_agent, r."timestamp", r.metadata, r.purpose_of_use,
      r.recipient, r.disclosure_basis, r.session_id, r.correlation_id, r.data_categories,
      r.retention_class
    FROM jsonb_to_recordset(p_events) AS r(id uuid, tenant_id uuid, user_id text, category text,
      action text, resource_type text, resource_id text, patient_id text, outcome text,
      old_value jsonb, new_value jsonb, changed_fields text[], ip_address text, user_agent text,
      "timestamp" timestamptz, metadata jsonb, purpose_of_use text, recipient text,
      disclosure_basis text, session_id text, correlation_id text, data_categories text[],
      retention_class text)
    ON CONFLICT DO NOTHING;
    RETURN;
  END IF;

  SELECT checked.refusal INTO v_refusal
    FROM jsonb_to_recordset(p_events) AS r(tenant_id uuid, user_id text, category text,
      action text, patient_id text),
      LATERAL (SELECT audit.append_refusal(r.tenant_id, r.user_id, r.category, r.action,
        r.patient_id) AS refusal) AS checked
    WHERE checked.refusal IS NOT NULL
    LIMIT 1;
  IF v_refusal IS NOT NULL THEN
    RAISE EXCEPTION 'audit append refused: %', v_refusal USING ERRCODE = '42501';
  END IF;
  INSERT INTO audit.events (id, tenant_id, user_id, category, action, resource_type,
    resource_id, patient_id, outcome, old_value, new_value, changed_fields, ip_address,
    user_agent, "timestamp", metadata, purpose_of_use, recipient, disclosure_basis, session_id,
    correlation_id, data_categories, retention_class)
  SELECT r.id, (v_claims -> 'app_metadata' ->> 'tenant_id')::uuid, v_claims ->> 'sub',
    r.category, r.action, r.resource_type, r.resource_id, r.patient_id, r.outcome,
    nullif(r.old_value, 'null'::jsonb), nullif(r.new_value, 'null'::jsonb), r.changed_fields,
    r.ip_address, r.user_agent, public.carequeue_now(), r.metadata, r.purpose_of_use,
    r.recipient, r.disclosure_basis, r.session_id, r.correlation_id, r.data_categories,
    r.retention_class
  FROM jsonb_to_recordset(p_events) AS r(id uuid, category text, action text,
    resource_type text, resource_id text, patient_id text, outcome text, old_value jsonb,
    new_value jsonb, changed_fields text[], ip_address text, user_agent text, metadata jsonb,
    purpose_of_use text, recipient text, disclosure_basis text, session_id text,
    correlation_id text, data_categories text[], retention_class text)
  ON CONFLICT DO NOTHING;
END
$fn$;

CREATE OR REPLACE FUNCTION audit.append_event(
  p_id uuid, p_tenant_id uuid, p_user_id text, p_category text, p_action text,
  p_resource_type text, p_resource_id text, p_patient_id text, p_outcome text,
  p_old_value jsonb, p_new_value jsonb, p_changed_fields text[], p_ip_address text,
  p_user_agent text, p_timestamp timestamptz, p_metadata jsonb, p_purpose_of_use text,
  p_recipient text, p_disclosure_basis text, p_session_id text, p_correlation_id text,
  p_data_categories text[], p_retention_class text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_claims jsonb;
  v_refusal text;
BEGIN
  IF NOT public.carequeue_trusted_caller() THEN
    v_claims := auth.jwt();
    v_refusal := audit.append_refusal(p_tenant_id, p_user_id, p_category, p_action,
      p_patient_id);
    IF v_refusal IS NOT NULL THEN
      RAISE EXCEPTION 'audit append refused: %', v_refusal USING ERRCODE = '42501';
    END IF;
    p_tenant_id := (v_claims -> 'app_metadata' ->> 'tenant_id')::uuid;
    p_user_id := v_claims ->> 'sub';
    p_timestamp := public.carequeue_now();
  END IF;
  INSERT INTO audit.events (id, tenant_id, user_id, category, action, resource_type,
    resource_id, patient_id, outcome, old_value, new_value, changed_fields, ip_address, user_agent,
    "timestamp", metadata, purpose_of_use, recipient, disclosure_basis, session_id, correlation_id,
    data_categories, retention_class)
  VALUES (p_id, p_tenant_id, p_user_id, p_category, p_action, p_resource_type, p_resource_id,
    p_patient_id, p_outcome, p_old_value, p_new_value, p_changed_fields, p_ip_address,
    p_user_agent, p_timestamp, p_metadata, p_purpose_of_use, p_recipient, p_disclosure_basis,
    p_session_id, p_correlation_id, p_data_categories, p_retention_class)
  ON CONFLICT DO NOTHING;
END
$fn$;

-- Only the append functions (running as the owner) call these.
REVOKE ALL ON FUNCTION audit.patient_may_append(text, text, text, text),
  audit.append_refusal(uuid, text, text, text, text) FROM PUBLIC;

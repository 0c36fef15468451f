-- The append-only audit trail: events partitioned by retention class and month, a per-tenant
-- hash chain in a side table sealed by audit.seal(), and verification helpers.
-- Postgres 15 compatible. The canonical form is specified in docs/chain.md.

CREATE SCHEMA IF NOT EXISTS audit;
REVOKE ALL ON SCHEMA audit FROM PUBLIC;
GRANT USAGE ON SCHEMA audit TO authenticated, service_role;

-- Roles are cluster-wide: two databases migrating at once may both see it missing.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'carequeue_audit_maintenance') THEN
    BEGIN
      CREATE ROLE carequeue_audit_maintenance NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$roles$;

CREATE TABLE audit.events (
  id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  user_id text,
  category text NOT NULL CHECK (category IN ('access', 'modification', 'export', 'auth')),
  action text NOT NULL,
  resource_type text NOT NULL,
  resource_id text,
  patient_id text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  old_value jsonb,
  new_value jsonb,
  changed_fields text[] NOT NULL DEFAULT '{}',
  ip_address text,
  user_agent text,
  "timestamp" timestamptz NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  purpose_of_use text,
  recipient text,
  disclosure_basis text,
  session_id text,
  correlation_id text,
  data_categories text[] NOT NULL DEFAULT '{}',
  retention_class text NOT NULL CHECK (retention_class IN ('standard', 'extended')),
  PRIMARY KEY (id, retention_class, "timestamp")
) PARTITION BY LIST (retention_class);

CREATE TABLE audit.events_standard PARTITION OF audit.events
  FOR VALUES IN ('standard') PARTITION BY RANGE ("timestamp");
CREATE TABLE audit.events_extended PARTITION OF audit.events
  FOR VALUES IN ('extended') PARTITION BY RANGE ("timestamp");
-- Safety nets so an insert never fails for want of a month partition.
CREATE TABLE audit.events_standard_default PARTITION OF audit.events_standard DEFAULT;
CREATE TABLE audit.events_extended_default PARTITION OF audit.events_extended DEFAULT;

CREATE INDEX events_patient_idx ON audit.events (tenant_id, patient_id, "timestamp");
CREATE INDEX events_actor_idx ON audit.events (tenant_id, user_id, "timestamp");
CREATE INDEX events_time_idx ON audit.events (tenant_id, "timestamp");
CREATE INDEX events_id_idx ON audit.events (id);

-- Events waiting for the sealer; rows leave it when sealed.
CREATE TABLE audit.unsealed (
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL,
  retention_class text NOT NULL,
  "timestamp" timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX unsealed_order_idx ON audit.unsealed (tenant_id, "timestamp", event_id);

-- The chain. The primary key and the unique previous hash make a fork impossible.
CREATE TABLE audit.chain (
  tenant_id uuid NOT NULL,
  sequence bigint NOT NULL CHECK (sequence > 0),
  event_id uuid NOT NULL UNIQUE,
  previous_hash text NOT NULL,
  payload_hash text NOT NULL,
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sequence),
  CONSTRAINT chain_no_fork UNIQUE (tenant_id, previous_hash)
);

CREATE FUNCTION audit.reject_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $fn$
BEGIN
  IF pg_catalog.pg_has_role(current_user, 'carequeue_audit_maintenance', 'MEMBER') THEN
    IF TG_LEVEL = 'STATEMENT' THEN
      RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit rows are append-only: % on audit.% is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501';
END
$fn$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events
  FOR EACH ROW EXECUTE FUNCTION audit.reject_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events
  FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();
CREATE TRIGGER chain_append_only BEFORE UPDATE OR DELETE ON audit.chain
  FOR EACH ROW EXECUTE FUNCTION audit.reject_change();
CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON audit.chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();
-- TRUNCATE of a partition does not fire the parent's statement trigger.
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events_standard_default
  FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events_extended_default
  FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();

CREATE FUNCTION audit.enqueue_unsealed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
BEGIN
  INSERT INTO audit.unsealed (tenant_id, event_id, retention_class, "timestamp")
    VALUES (NEW.tenant_id, NEW.id, NEW.retention_class, NEW."timestamp");
  RETURN NULL;
END
$fn$;

CREATE TRIGGER events_enqueue_unsealed AFTER INSERT ON audit.events
  FOR EACH ROW EXECUTE FUNCTION audit.enqueue_unsealed();

-- Creates the month partitions of both retention classes from p_from on; a month whose rows
-- already landed in a default partition is skipped (move them first, as the maintenance role).
CREATE FUNCTION audit.create_month_partitions(p_from date, p_months integer) RETURNS integer
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_class text;
  v_start date;
  v_end date;
  v_name text;
  v_busy boolean;
  v_created integer := 0;
BEGIN
  FOREACH v_class IN ARRAY ARRAY['standard', 'extended'] LOOP
    FOR v_month IN 0 .. p_months - 1 LOOP
      v_start := (date_trunc('month', p_from) + make_interval(months => v_month))::date;
      v_end := (v_start + interval '1 month')::date;
      v_name := format('events_%s_%s', v_class, to_char(v_start, 'YYYY_MM'));
      CONTINUE WHEN to_regclass(format('audit.%I', v_name)) IS NOT NULL;
      EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM audit.%I WHERE "timestamp" >= %L AND "timestamp" < %L)',
        'events_' || v_class || '_default', v_start::text || ' 00:00:00+00', v_end::text || ' 00:00:00+00'
      ) INTO v_busy;
      CONTINUE WHEN v_busy;
      EXECUTE format(
        'CREATE TABLE audit.%I PARTITION OF audit.%I FOR VALUES FROM (%L) TO (%L)',
        v_name, 'events_' || v_class, v_start::text || ' 00:00:00+00', v_end::text || ' 00:00:00+00'
      );
      EXECUTE format(
        'CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.%I FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change()',
        v_name
      );
      v_created := v_created + 1;
    END LOOP;
  END LOOP;
  RETURN v_created;
END
$fn$;

SELECT audit.create_month_partitions((now() - interval '1 month')::date, 4);

-- The canonical form of docs/chain.md: what the payload hash covers.
CREATE FUNCTION audit.canonical_form(e audit.events, previous_hash text) RETURNS text
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT jsonb_build_array(
    'cq-audit-v1', previous_hash, e.tenant_id::text, e.id::text,
    to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.user_id, e.category, e.action, e.outcome, e.resource_type, e.resource_id, e.patient_id,
    e.old_value, e.new_value, to_jsonb(e.changed_fields), e.ip_address, e.user_agent, e.metadata,
    e.purpose_of_use, e.recipient, e.disclosure_basis, e.session_id, e.correlation_id,
    to_jsonb(e.data_categories), e.retention_class
  )::text
$fn$;

CREATE FUNCTION audit.payload_hash(e audit.events, previous_hash text) RETURNS text
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT encode(sha256(convert_to(audit.canonical_form(e, previous_hash), 'UTF8')), 'hex')
$fn$;

-- Seals up to p_limit unsealed events of a tenant. The tenant's advisory lock is held only by
-- this short transaction; writers never take it.
CREATE FUNCTION audit.seal(p_tenant uuid, p_limit integer DEFAULT 10000) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_sequence bigint;
  v_previous text;
  v_hash text;
  v_ids uuid[] := '{}';
  ev audit.events;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('carequeue.audit.chain:' || p_tenant::text, 0));
  SELECT c.sequence, c.payload_hash INTO v_sequence, v_previous
    FROM audit.chain c WHERE c.tenant_id = p_tenant ORDER BY c.sequence DESC LIMIT 1;
  v_sequence := coalesce(v_sequence, 0);
  v_previous := coalesce(v_previous, repeat('0', 64));
  FOR ev IN
    SELECT e.* FROM audit.unsealed u
      JOIN audit.events e
        ON e.id = u.event_id AND e.retention_class = u.retention_class AND e."timestamp" = u."timestamp"
      WHERE u.tenant_id = p_tenant
      ORDER BY u."timestamp", u.event_id
      LIMIT p_limit
  LOOP
    v_hash := audit.payload_hash(ev, v_previous);
    v_sequence := v_sequence + 1;
    INSERT INTO audit.chain (tenant_id, sequence, event_id, previous_hash, payload_hash)
      VALUES (p_tenant, v_sequence, ev.id, v_previous, v_hash);
    v_previous := v_hash;
    v_ids := v_ids || ev.id;
  END LOOP;
  DELETE FROM audit.unsealed WHERE tenant_id = p_tenant AND event_id = ANY (v_ids);
  RETURN cardinality(v_ids);
END
$fn$;

-- The sealed rows of a tenant after p_after up to p_to, with each payload hash recomputed from
-- the stored event (null when the event row is gone).
CREATE FUNCTION audit.chain_links(p_tenant uuid, p_after bigint, p_to bigint, p_limit integer)
  RETURNS TABLE (sequence bigint, previous_hash text, payload_hash text, recomputed_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT c.sequence, c.previous_hash, c.payload_hash,
         (SELECT audit.payload_hash(e, c.previous_hash) FROM audit.events e WHERE e.id = c.event_id LIMIT 1)
    FROM audit.chain c
    WHERE c.tenant_id = p_tenant AND c.sequence > p_after AND c.sequence <= p_to
    ORDER BY c.sequence
    LIMIT p_limit
$fn$;

CREATE FUNCTION audit.chain_head(p_tenant uuid)
  RETURNS TABLE (sequence bigint, payload_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT c.sequence, c.payload_hash FROM audit.chain c
    WHERE c.tenant_id = p_tenant ORDER BY c.sequence DESC LIMIT 1
$fn$;

REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA audit FROM PUBLIC;
GRANT SELECT, INSERT ON audit.events TO authenticated, service_role;
GRANT SELECT ON audit.chain TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION audit.reject_change(), audit.enqueue_unsealed() TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION audit.seal(uuid, integer), audit.chain_links(uuid, bigint, bigint, integer),
  audit.chain_head(uuid), audit.canonical_form(audit.events, text), audit.payload_hash(audit.events, text)
  TO service_role;

ALTER TABLE audit.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.events FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.chain ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.chain FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.unsealed ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.unsealed FORCE ROW LEVEL SECURITY;

CREATE POLICY events_tenant_read ON audit.events FOR SELECT TO authenticated
  USING (tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid);
CREATE POLICY events_tenant_insert ON audit.events FOR INSERT TO authenticated
  WITH CHECK (tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid);
CREATE POLICY chain_tenant_read ON audit.chain FOR SELECT TO authenticated
  USING (tenant_id = (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid);

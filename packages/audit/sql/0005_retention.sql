-- Retention: legal holds, the register of archived partitions, the chain rows of archived events
-- (so verify still passes once their partition is dropped), and the one function that drops an
-- archived partition, executable by the maintenance role only. Postgres 15 compatible.

GRANT USAGE ON SCHEMA audit TO carequeue_audit_maintenance;

-- A hold keeps every event of a tenant (or of one patient of it) in a time range from being
-- dropped, whatever its retention. Released holds stay as a record.
CREATE TABLE audit.legal_holds (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  patient_id text,
  from_time timestamptz NOT NULL,
  to_time timestamptz NOT NULL,
  reason text NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL,
  released_at timestamptz,
  CHECK (from_time <= to_time)
);

-- One row per partition archived by retention, written before the partition is dropped.
CREATE TABLE audit.retention_archives (
  partition_name text PRIMARY KEY,
  retention_class text NOT NULL CHECK (retention_class IN ('standard', 'extended')),
  range_from timestamptz NOT NULL,
  range_to timestamptz NOT NULL,
  event_count bigint NOT NULL,
  archive_sha256 text NOT NULL,
  manifest_sha256 text NOT NULL,
  archived_at timestamptz NOT NULL
);

-- The chain fields of each event whose partition was archived and dropped. Verification takes
-- the payload hash from here for those rows; the archive's manifest vouches for the rows.
CREATE TABLE audit.archived_events (
  event_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  sequence bigint NOT NULL,
  payload_hash text NOT NULL,
  partition_name text NOT NULL REFERENCES audit.retention_archives (partition_name)
);

CREATE TRIGGER legal_holds_no_delete BEFORE DELETE ON audit.legal_holds
  FOR EACH ROW EXECUTE FUNCTION audit.reject_change();
CREATE TRIGGER retention_archives_append_only BEFORE UPDATE OR DELETE ON audit.retention_archives
  FOR EACH ROW EXECUTE FUNCTION audit.reject_change();
CREATE TRIGGER archived_events_append_only BEFORE UPDATE OR DELETE ON audit.archived_events
  FOR EACH ROW EXECUTE FUNCTION audit.reject_change();

ALTER TABLE audit.legal_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.legal_holds FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.retention_archives ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.retention_archives FORCE ROW LEVEL SECURITY;
ALTER TABLE audit.archived_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.archived_events FORCE ROW LEVEL SECURITY;

REVOKE ALL ON audit.legal_holds, audit.retention_archives, audit.archived_events FROM PUBLIC;
GRANT SELECT ON audit.legal_holds TO authenticated;
GRANT SELECT, INSERT, UPDATE ON audit.legal_holds TO service_role;
CREATE POLICY legal_holds_tenant_read ON audit.legal_holds FOR SELECT TO authenticated
  USING (tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid));
CREATE POLICY legal_holds_service ON audit.legal_holds FOR ALL TO service_role
  USING (true) WITH CHECK (true);

-- The maintenance role reads what it archives and records the archive; it drops nothing itself.
GRANT SELECT ON audit.events, audit.chain, audit.unsealed, audit.legal_holds, audit.archived_events
  TO carequeue_audit_maintenance;
GRANT SELECT, INSERT ON audit.retention_archives TO carequeue_audit_maintenance;
CREATE POLICY events_maintenance_read ON audit.events FOR SELECT TO carequeue_audit_maintenance
  USING (true);
CREATE POLICY chain_maintenance_read ON audit.chain FOR SELECT TO carequeue_audit_maintenance
  USING (true);
CREATE POLICY unsealed_maintenance_read ON audit.unsealed FOR SELECT TO carequeue_audit_maintenance
  USING (true);
CREATE POLICY legal_holds_maintenance_read ON audit.legal_holds FOR SELECT TO carequeue_audit_maintenance
  USING (true);
CREATE POLICY retention_archives_maintenance ON audit.retention_archives FOR ALL
  TO carequeue_audit_maintenance USING (true) WITH CHECK (true);
CREATE POLICY retention_archives_service_read ON audit.retention_archives FOR SELECT
  TO service_role USING (true);
GRANT SELECT ON audit.retention_archives TO service_role;
CREATE POLICY archived_events_read ON audit.archived_events FOR SELECT
  TO carequeue_audit_maintenance, service_role USING (true);
GRANT SELECT ON audit.archived_events TO service_role;

-- Verification: an event row that is gone is accepted only when its partition was archived, and
-- then with the payload hash recorded at archiving.
CREATE OR REPLACE FUNCTION audit.chain_links(p_tenant uuid, p_after bigint, p_to bigint, p_limit integer)
  RETURNS TABLE (sequence bigint, previous_hash text, payload_hash text, recomputed_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT c.sequence, c.previous_hash, c.payload_hash,
         coalesce(
           (SELECT audit.payload_hash(e, c.previous_hash) FROM audit.events e WHERE e.id = c.event_id LIMIT 1),
           (SELECT a.payload_hash FROM audit.archived_events a
              WHERE a.event_id = c.event_id AND a.tenant_id = c.tenant_id AND a.sequence = c.sequence))
    FROM audit.chain c
    WHERE c.tenant_id = p_tenant AND c.sequence > p_after AND c.sequence <= p_to
    ORDER BY c.sequence
    LIMIT p_limit
$fn$;

-- Drops one month partition of audit.events after checking that it was archived with the same
-- number of events, that every event in it is sealed, and that no active legal hold covers any
-- of its events; records the chain fields of its events first. Returns the events dropped.
-- Only the maintenance role may execute it (the grant below is the gate).
CREATE FUNCTION audit.drop_archived_partition(p_partition text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_match text[];
  v_class text;
  v_from timestamptz;
  v_to timestamptz;
  v_count bigint;
  v_archived bigint;
  v_blocked boolean;
BEGIN
  v_match := regexp_match(p_partition, '^events_(standard|extended)_([0-9]{4})_([0-9]{2})$');
  IF v_match IS NULL OR to_regclass(format('audit.%I', p_partition)) IS NULL THEN
    RAISE EXCEPTION 'audit partition % does not exist', p_partition USING ERRCODE = '42P01';
  END IF;
  v_class := v_match[1];
  v_from := make_timestamptz(v_match[2]::int, v_match[3]::int, 1, 0, 0, 0, 'UTC');
  v_to := v_from + interval '1 month';
  SELECT a.event_count INTO v_archived FROM audit.retention_archives a WHERE a.partition_name = p_partition;
  EXECUTE format('SELECT count(*) FROM audit.%I', p_partition) INTO v_count;
  IF v_archived IS NULL OR v_archived <> v_count THEN
    RAISE EXCEPTION 'audit partition % was not archived with its % events', p_partition, v_count
      USING ERRCODE = '55000';
  END IF;
  IF EXISTS (SELECT 1 FROM audit.unsealed u
               WHERE u.retention_class = v_class AND u."timestamp" >= v_from AND u."timestamp" < v_to) THEN
    RAISE EXCEPTION 'audit partition % has unsealed events; seal first', p_partition USING ERRCODE = '55000';
  END IF;
  EXECUTE format(
    'SELECT EXISTS (SELECT 1 FROM audit.legal_holds h JOIN audit.%I e ON e.tenant_id = h.tenant_id
       AND (h.patient_id IS NULL OR e.patient_id = h.patient_id)
       AND e."timestamp" >= h.from_time AND e."timestamp" <= h.to_time
       WHERE h.released_at IS NULL)', p_partition) INTO v_blocked;
  IF v_blocked THEN
    RAISE EXCEPTION 'audit partition % holds events under legal hold', p_partition USING ERRCODE = '55000';
  END IF;
  EXECUTE format(
    'INSERT INTO audit.archived_events (event_id, tenant_id, sequence, payload_hash, partition_name)
       SELECT c.event_id, c.tenant_id, c.sequence, c.payload_hash, %L
         FROM audit.%I e JOIN audit.chain c ON c.event_id = e.id', p_partition, p_partition);
  EXECUTE format('DROP TABLE audit.%I', p_partition);
  RETURN v_count;
END
$fn$;

REVOKE ALL ON FUNCTION audit.drop_archived_partition(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.drop_archived_partition(text) TO carequeue_audit_maintenance;
GRANT EXECUTE ON FUNCTION audit.seal(uuid, integer), audit.chain_head(uuid),
  audit.chain_links(uuid, bigint, bigint, integer) TO carequeue_audit_maintenance;

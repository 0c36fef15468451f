-- An event id names one event, whatever its partition. audit.events is partitioned by retention
-- class and month, so its primary key has to be (id, retention_class, "timestamp") and cannot
-- refuse the id of a sealed event offered again with another timestamp; such a row went into the
-- sealing queue, every later audit.seal of its tenant failed on chain_event_id_key, and the
-- append-only table kept it. Now:
--   * audit.event_ids holds every id ever appended (ids outlive their partition: retention drops
--     events, not their ids), filled by the statement trigger that queues events for sealing, so
--     a reused id fails the insert with a unique violation on every path. A replayed event (same
--     id, class and time) is still skipped by ON CONFLICT on the primary key, before the trigger.
--   * each chain row names the whole key of the event it seals, and every reader of the chain
--     (chain_links, the trail view, archiving, the patient policy) matches on it.
-- Databases written before this migration are brought in line: chain rows get the key of the row
-- they sealed (the only row with that id, or else the one whose hash matches), ids are
-- registered, and queued events whose id was already sealed or queued leave the sealing queue:
-- they can never be sealed and stay in the trail as unsealed rows. Postgres 15 compatible.

CREATE TABLE audit.event_ids (id uuid PRIMARY KEY);
ALTER TABLE audit.event_ids ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.event_ids FORCE ROW LEVEL SECURITY;
REVOKE ALL ON audit.event_ids FROM PUBLIC;

ALTER TABLE audit.chain
  ADD COLUMN event_retention_class text,
  ADD COLUMN event_timestamp timestamptz;
-- Rows sealed from now on must name the key; rows sealed before keep what the backfill finds.
ALTER TABLE audit.chain ADD CONSTRAINT chain_event_key_present
  CHECK (event_retention_class IS NOT NULL AND event_timestamp IS NOT NULL) NOT VALID;

-- The chain is append-only; its trigger is set aside for this one backfill, in this transaction.
ALTER TABLE audit.chain DISABLE TRIGGER chain_append_only;
UPDATE audit.chain c
  SET event_retention_class = e.retention_class, event_timestamp = e."timestamp"
  FROM audit.events e
  WHERE e.id = c.event_id
    AND NOT EXISTS (
      SELECT 1 FROM audit.events d
      WHERE d.id = c.event_id
        AND (d.retention_class, d."timestamp") IS DISTINCT FROM (e.retention_class, e."timestamp"));
UPDATE audit.chain c
  SET event_retention_class = e.retention_class, event_timestamp = e."timestamp"
  FROM audit.events e
  WHERE c.event_timestamp IS NULL AND e.id = c.event_id
    AND audit.payload_hash(e, c.previous_hash) = c.payload_hash;
ALTER TABLE audit.chain ENABLE TRIGGER chain_append_only;

-- Queued events whose id is sealed already, or queued twice (the earliest stays), never seal.
DELETE FROM audit.unsealed u
  WHERE EXISTS (SELECT 1 FROM audit.chain c WHERE c.event_id = u.event_id)
    OR EXISTS (
      SELECT 1 FROM audit.unsealed o
      WHERE o.event_id = u.event_id
        AND (o."timestamp", o.tenant_id) < (u."timestamp", u.tenant_id));
INSERT INTO audit.event_ids (id) SELECT event_id FROM audit.chain;
INSERT INTO audit.event_ids (id) SELECT event_id FROM audit.unsealed;

CREATE OR REPLACE FUNCTION audit.enqueue_unsealed_statement() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
BEGIN
  INSERT INTO audit.event_ids (id) SELECT n.id FROM inserted_events n;
  INSERT INTO audit.unsealed (tenant_id, event_id, retention_class, "timestamp")
    SELECT n.tenant_id, n.id, n.retention_class, n."timestamp" FROM inserted_events n;
  RETURN NULL;
END
$fn$;

-- As in 0002, plus the key of each sealed event in its chain row.
CREATE OR REPLACE FUNCTION audit.seal(p_tenant uuid, p_limit integer DEFAULT 10000) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_sequence bigint;
  v_previous text;
  v_count integer := 0;
  v_ids uuid[] := '{}';
  v_classes text[] := '{}';
  v_times timestamptz[] := '{}';
  v_previous_hashes text[] := '{}';
  v_hashes text[] := '{}';
  pending record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('carequeue.audit.chain:' || p_tenant::text, 0));
  SELECT c.sequence, c.payload_hash INTO v_sequence, v_previous
    FROM audit.chain c WHERE c.tenant_id = p_tenant ORDER BY c.sequence DESC LIMIT 1;
  v_sequence := coalesce(v_sequence, 0);
  v_previous := coalesce(v_previous, repeat('0', 64));
  FOR pending IN
    SELECT e.id, e.retention_class, e."timestamp",
           substr(audit.canonical_form(e, repeat('0', 64)), 82) AS rest
      FROM (
        SELECT u.event_id, u.retention_class, u."timestamp" FROM audit.unsealed u
          WHERE u.tenant_id = p_tenant
          ORDER BY u."timestamp", u.event_id
          LIMIT p_limit
      ) q
      JOIN audit.events e
        ON e.id = q.event_id AND e.retention_class = q.retention_class AND e."timestamp" = q."timestamp"
      ORDER BY q."timestamp", q.event_id
  LOOP
    v_count := v_count + 1;
    v_ids[v_count] := pending.id;
    v_classes[v_count] := pending.retention_class;
    v_times[v_count] := pending."timestamp";
    v_previous_hashes[v_count] := v_previous;
    v_previous := encode(sha256(convert_to('["cq-audit-v1", "' || v_previous || pending.rest, 'UTF8')), 'hex');
    v_hashes[v_count] := v_previous;
  END LOOP;
  INSERT INTO audit.chain (tenant_id, sequence, event_id, event_retention_class, event_timestamp,
      previous_hash, payload_hash)
    SELECT p_tenant, v_sequence + l.position, l.event_id, l.retention_class, l.event_time,
           l.previous_hash, l.payload_hash
      FROM unnest(v_ids, v_classes, v_times, v_previous_hashes, v_hashes)
        WITH ORDINALITY AS l(event_id, retention_class, event_time, previous_hash, payload_hash, position);
  DELETE FROM audit.unsealed WHERE tenant_id = p_tenant AND event_id = ANY (v_ids);
  RETURN v_count;
END
$fn$;

-- As in 0005, with the sealed event found by its whole key (one partition, one index probe).
CREATE OR REPLACE FUNCTION audit.chain_links(p_tenant uuid, p_after bigint, p_to bigint, p_limit integer)
  RETURNS TABLE (sequence bigint, previous_hash text, payload_hash text, recomputed_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
  SELECT c.sequence, c.previous_hash, c.payload_hash,
         coalesce(
           (SELECT audit.payload_hash(e, c.previous_hash) FROM audit.events e
              WHERE e.id = c.event_id AND e.retention_class = c.event_retention_class
                AND e."timestamp" = c.event_timestamp),
           (SELECT a.payload_hash FROM audit.archived_events a
              WHERE a.event_id = c.event_id AND a.tenant_id = c.tenant_id AND a.sequence = c.sequence))
    FROM audit.chain c
    WHERE c.tenant_id = p_tenant AND c.sequence > p_after AND c.sequence <= p_to
    ORDER BY c.sequence
    LIMIT p_limit
$fn$;

-- As in 0005, archiving the chain fields of the partition's sealed events by their whole key.
CREATE OR REPLACE FUNCTION audit.drop_archived_partition(p_partition text) RETURNS bigint
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
         FROM audit.%I e JOIN audit.chain c ON c.event_id = e.id
           AND c.event_retention_class = e.retention_class AND c.event_timestamp = e."timestamp"',
    p_partition, p_partition);
  EXECUTE format('DROP TABLE audit.%I', p_partition);
  RETURN v_count;
END
$fn$;

-- As in 0004, joining each event with the chain row that sealed it, by the whole key.
CREATE OR REPLACE VIEW audit.trail WITH (security_invoker = true) AS
  SELECT e.id, e.tenant_id, e.user_id, e.category, e.action, e.resource_type, e.resource_id,
    e.patient_id, e.outcome, e.old_value, e.new_value, e.changed_fields, e.ip_address,
    e.user_agent, e."timestamp", e.metadata, e.purpose_of_use, e.recipient, e.disclosure_basis,
    e.session_id, e.correlation_id, e.data_categories, e.retention_class,
    c.sequence, c.payload_hash, c.previous_hash,
    coalesce(c.sequence, 9007199254740991) AS sequence_key,
    coalesce(e.user_id, '') COLLATE "C" AS user_id_key,
    e.category COLLATE "C" AS category_key,
    e.action COLLATE "C" AS action_key,
    e.outcome COLLATE "C" AS outcome_key,
    e.resource_type COLLATE "C" AS resource_type_key,
    coalesce(e.resource_id, '') COLLATE "C" AS resource_id_key,
    coalesce(e.patient_id, '') COLLATE "C" AS patient_id_key,
    coalesce(e.purpose_of_use, '') COLLATE "C" AS purpose_of_use_key,
    coalesce(e.recipient, '') COLLATE "C" AS recipient_key,
    coalesce(e.disclosure_basis, '') COLLATE "C" AS disclosure_basis_key,
    coalesce(e.session_id, '') COLLATE "C" AS session_id_key,
    coalesce(e.correlation_id, '') COLLATE "C" AS correlation_id_key,
    coalesce(e.ip_address, '') COLLATE "C" AS ip_address_key,
    e.retention_class COLLATE "C" AS retention_class_key
  FROM audit.events e
  LEFT JOIN audit.chain c ON c.event_id = e.id AND c.event_retention_class = e.retention_class
    AND c.event_timestamp = e."timestamp";

-- As in 0003: a patient sees the chain rows of the events they may read, matched by whole key.
DROP POLICY chain_patient_read ON audit.chain;
CREATE POLICY chain_patient_read ON audit.chain FOR SELECT TO authenticated
  USING (
    tenant_id = (SELECT (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
    AND (SELECT audit.claimed_patient_id()) IS NOT NULL
    AND EXISTS (SELECT 1 FROM audit.events e
      WHERE e.id = chain.event_id AND e.retention_class = chain.event_retention_class
        AND e."timestamp" = chain.event_timestamp)
  );

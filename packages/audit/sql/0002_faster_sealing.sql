-- Cheaper appends and set-based sealing. The chain semantics and the canonical form
-- (docs/chain.md) are unchanged; only how the same hashes are computed and stored changes.
-- Postgres 15 compatible.

-- The primary key (id, retention_class, "timestamp") already leads with id.
DROP INDEX audit.events_id_idx;

-- The sealer sorts a tenant's pending events itself; the set is small between two seals, so a
-- second index on the queue only slowed every append.
DROP INDEX audit.unsealed_order_idx;

-- One queue insert per statement instead of one trigger call per row: a buffered batch of
-- hundreds of events costs one trigger call.
CREATE FUNCTION audit.enqueue_unsealed_statement() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
BEGIN
  INSERT INTO audit.unsealed (tenant_id, event_id, retention_class, "timestamp")
    SELECT n.tenant_id, n.id, n.retention_class, n."timestamp" FROM inserted_events n;
  RETURN NULL;
END
$fn$;

DROP TRIGGER events_enqueue_unsealed ON audit.events;
DROP FUNCTION audit.enqueue_unsealed();
CREATE TRIGGER events_enqueue_unsealed AFTER INSERT ON audit.events
  REFERENCING NEW TABLE AS inserted_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit.enqueue_unsealed_statement();

-- A SQL function with a SET clause is never inlined: every call paid for a function frame and
-- a search_path switch. Without it the planner inlines both into the statements that use them.
-- They only call pg_catalog functions, which are searched first whatever the caller's path.
ALTER FUNCTION audit.canonical_form(audit.events, text) RESET search_path;
ALTER FUNCTION audit.payload_hash(audit.events, text) RESET search_path;

-- Appends a batch of events given as a JSON array of rows (snake_case keys). Running as the
-- caller keeps the insert policies in force; the statement's plan is cached per connection.
CREATE FUNCTION audit.append_events(p_events jsonb) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
  AS $fn$
BEGIN
  INSERT INTO audit.events (id, tenant_id, user_id, category, action, resource_type,
    resource_id, patient_id, outcome, old_value, new_value, changed_fields, ip_address, user_agent,
    "timestamp", metadata, purpose_of_use, recipient, disclosure_basis, session_id, correlation_id,
    data_categories, retention_class)
  SELECT r.id, r.tenant_id, r.user_id, r.category, r.action, r.resource_type, r.resource_id,
    r.patient_id, r.outcome, nullif(r.old_value, 'null'::jsonb), nullif(r.new_value, 'null'::jsonb),
    r.changed_fields, r.ip_address, r.user_agent, r."timestamp",
    r.metadata, r.purpose_of_use, r.recipient, r.disclosure_basis, r.session_id,
    r.correlation_id, r.data_categories, r.retention_class
  FROM jsonb_to_recordset(p_events) AS r(id uuid, tenant_id uuid, user_id text, category text,
    action text, resource_type text, resource_id text, patient_id text, outcome text,
    old_value jsonb, new_value jsonb, changed_fields text[], ip_address text, user_agent text,
    "timestamp" timestamptz, metadata jsonb, purpose_of_use text, recipient text,
    disclosure_basis text, session_id text, correlation_id text, data_categories text[],
    retention_class text)
  ON CONFLICT DO NOTHING;
END
$fn$;

-- Same chain as before, computed set-based: one statement renders the canonical form of every
-- pending event (with a placeholder previous hash), a tight loop chains the SHA-256 hashes, and
-- one statement stores the whole batch. The canonical text starts with `["cq-audit-v1", "`
-- (17 characters) followed by the 64-digit previous hash, so the rest from character 82 on
-- does not depend on the previous hash.
CREATE OR REPLACE FUNCTION audit.seal(p_tenant uuid, p_limit integer DEFAULT 10000) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
DECLARE
  v_sequence bigint;
  v_previous text;
  v_count integer := 0;
  v_ids uuid[] := '{}';
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
    SELECT e.id, substr(audit.canonical_form(e, repeat('0', 64)), 82) AS rest
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
    v_previous_hashes[v_count] := v_previous;
    v_previous := encode(sha256(convert_to('["cq-audit-v1", "' || v_previous || pending.rest, 'UTF8')), 'hex');
    v_hashes[v_count] := v_previous;
  END LOOP;
  INSERT INTO audit.chain (tenant_id, sequence, event_id, previous_hash, payload_hash)
    SELECT p_tenant, v_sequence + l.position, l.event_id, l.previous_hash, l.payload_hash
      FROM unnest(v_ids, v_previous_hashes, v_hashes)
        WITH ORDINALITY AS l(event_id, previous_hash, payload_hash, position);
  DELETE FROM audit.unsealed WHERE tenant_id = p_tenant AND event_id = ANY (v_ids);
  RETURN v_count;
END
$fn$;

REVOKE ALL ON FUNCTION audit.enqueue_unsealed_statement(), audit.append_events(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.enqueue_unsealed_statement(), audit.append_events(jsonb)
  TO authenticated, service_role;

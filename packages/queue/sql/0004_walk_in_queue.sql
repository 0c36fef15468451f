-- The walk-in queue: queue lines (one row per queue, carrying its event version and ticket
-- counter), queue entries (one patient's place in a line) and the append-only queue events.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- Position is never stored: it is derived at read time from ordering_key, the check-in instant
-- (or appointment start minus grace) moved earlier by the entry's priority (see ADR 0008).
-- Staff of the clinic (owners and admins tenant-wide) read and write entries; a patient reads
-- only their own entries and the events about them; anon is granted nothing; service_role
-- (workers such as the no-show sweeper) bypasses row-level security.

CREATE TABLE queue.queue_lines (
  tenant_id uuid NOT NULL,
  queue_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  -- The version of the newest event of this queue. Taking it locks the row until commit, so
  -- versions become visible in commit order and a consumer resuming after N misses nothing.
  version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  last_ticket bigint NOT NULL DEFAULT 0 CHECK (last_ticket >= 0),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, queue_id),
  UNIQUE (tenant_id, queue_id, clinic_id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id)
);

CREATE TABLE queue.queue_entries (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  queue_id uuid NOT NULL,
  patient_id uuid,
  appointment_id uuid,
  service_type_id uuid,
  source text NOT NULL CHECK (source IN ('walk-in', 'appointment', 'transfer')),
  status text NOT NULL CHECK (status IN ('waiting', 'called', 'in_service', 'completed',
    'no_show', 'left', 'cancelled', 'transferred', 'away')),
  priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100),
  -- Epoch milliseconds; smaller is served first.
  ordering_key bigint NOT NULL,
  ticket text NOT NULL CHECK (ticket ~ '^[A-Z0-9-]{1,12}$'),
  guest_name text CHECK (length(guest_name) <= 200),
  recall_count integer NOT NULL DEFAULT 0 CHECK (recall_count >= 0),
  counter text CHECK (length(counter) <= 50),
  called_by uuid,
  checked_in_at timestamptz NOT NULL,
  effective_at timestamptz NOT NULL,
  called_at timestamptz,
  service_started_at timestamptz,
  ended_at timestamptz,
  transferred_to_entry_id uuid,
  transferred_from_entry_id uuid,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, queue_id, clinic_id)
    REFERENCES queue.queue_lines (tenant_id, queue_id, clinic_id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES queue.patients (tenant_id, id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES queue.appointments (tenant_id, id),
  FOREIGN KEY (tenant_id, service_type_id) REFERENCES queue.service_types (tenant_id, id)
);
-- Call-next reads the head of a line through this index.
CREATE INDEX queue_entries_line_idx
  ON queue.queue_entries (tenant_id, queue_id, status, ordering_key, id);
CREATE INDEX queue_entries_clinic_time_idx
  ON queue.queue_entries (tenant_id, clinic_id, checked_in_at);
CREATE INDEX queue_entries_patient_idx ON queue.queue_entries (tenant_id, patient_id)
  WHERE patient_id IS NOT NULL;
-- An appointment holds at most one live place in any line.
CREATE UNIQUE INDEX queue_entries_live_appointment_idx
  ON queue.queue_entries (tenant_id, appointment_id)
  WHERE appointment_id IS NOT NULL AND status IN ('waiting', 'called', 'in_service', 'away');

-- Events carry ids, the type and the per-queue version only: never a name or contact detail,
-- so a realtime layer may forward them as they are.
CREATE TABLE queue.queue_events (
  tenant_id uuid NOT NULL,
  queue_id uuid NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  clinic_id uuid NOT NULL,
  entry_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('checked_in', 'triaged', 'called', 'recalled', 'no_show',
    'away', 'returned', 'left', 'cancelled', 'service_started', 'completed', 'transferred')),
  from_status text,
  to_status text NOT NULL,
  entry_version integer NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, queue_id, version),
  FOREIGN KEY (tenant_id, entry_id) REFERENCES queue.queue_entries (tenant_id, id)
);
CREATE INDEX queue_events_entry_idx ON queue.queue_events (tenant_id, entry_id);
CREATE INDEX queue_events_clinic_time_idx ON queue.queue_events (tenant_id, clinic_id, occurred_at);

CREATE FUNCTION queue.reject_event_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $fn$
BEGIN
  RAISE EXCEPTION 'queue events are append-only: % on queue.% is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501';
END
$fn$;

CREATE TRIGGER queue_events_append_only BEFORE UPDATE OR DELETE ON queue.queue_events
  FOR EACH ROW EXECUTE FUNCTION queue.reject_event_change();
CREATE TRIGGER queue_events_no_truncate BEFORE TRUNCATE ON queue.queue_events
  FOR EACH STATEMENT EXECUTE FUNCTION queue.reject_event_change();

GRANT EXECUTE ON FUNCTION queue.reject_event_change() TO authenticated, service_role;
GRANT SELECT, INSERT, UPDATE ON queue.queue_lines, queue.queue_entries TO authenticated;
GRANT SELECT, INSERT ON queue.queue_events TO authenticated;
GRANT SELECT, INSERT, UPDATE ON queue.queue_lines, queue.queue_entries TO service_role;
GRANT SELECT, INSERT ON queue.queue_events TO service_role;

ALTER TABLE queue.queue_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.queue_lines FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.queue_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.queue_entries FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.queue_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.queue_events FORCE ROW LEVEL SECURITY;

CREATE POLICY queue_lines_read ON queue.queue_lines FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));
CREATE POLICY queue_lines_insert ON queue.queue_lines FOR INSERT TO authenticated
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));
CREATE POLICY queue_lines_update ON queue.queue_lines FOR UPDATE TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id))
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));

CREATE POLICY queue_entries_read ON queue.queue_entries FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY queue_entries_insert ON queue.queue_entries FOR INSERT TO authenticated
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));
CREATE POLICY queue_entries_update ON queue.queue_entries FOR UPDATE TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id))
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));

CREATE POLICY queue_events_read ON queue.queue_events FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR EXISTS (
      SELECT 1 FROM queue.queue_entries entry
      WHERE entry.tenant_id = queue_events.tenant_id AND entry.id = queue_events.entry_id
        AND queue.own_patient((SELECT auth.jwt()), entry.tenant_id, entry.patient_id)));
CREATE POLICY queue_events_insert ON queue.queue_events FOR INSERT TO authenticated
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));

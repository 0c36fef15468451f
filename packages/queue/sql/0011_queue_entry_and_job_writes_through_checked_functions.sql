-- Queue entries and jobs are written by end users only through checked functions, and the
-- patients_update policy checks the new row as strictly as the old. Postgres 15 compatible.
--
-- Queue entries: only clinic staff (owners and admins tenant-wide) ever wrote them, but directly,
-- so any column could change: a row could leave its queue or clinic, jump statuses the walk-in
-- state machine does not allow, or take another ticket. The functions below keep the staff's
-- reach from the verified claims, move statuses along core's queueEntryTransitions (a waiting
-- entry may stay waiting: triage), and keep who, where, which ticket and when the entry checked in
-- as they were. Clinic staff remain trusted with the order of their own clinic's line (priority,
-- ordering key) and with the times they record, as triage already lets them reorder it.
--
-- Jobs: any member of a tenant could insert any job (a confirmation for another patient's
-- appointment, or a unique key that keeps the real reminder from ever being scheduled). An end
-- user now schedules a job only about an appointment within their reach (its id in the payload
-- and at the end of the unique key) or, as clinic staff, about their clinic; its times come from
-- the SQL clock.
--
-- Patients: patients_update checked only the tenant of the new row, so a row within reach could
-- be rewritten to fall outside the caller's reach inside the tenant (a patient rewriting their own
-- id). Its WITH CHECK is now the same reach test as its USING. Trusted callers (service_role, the
-- owner: migration 0009) write as before.

-- Mirrors core's queueEntryTransitions (packages/core/src/model/queue-entry.ts); a test checks
-- that both agree on every pair of statuses.
CREATE FUNCTION queue.queue_entry_transition_allowed(p_from text, p_to text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT (p_from, p_to) IN (
      ('waiting', 'called'), ('waiting', 'away'), ('waiting', 'left'), ('waiting', 'cancelled'),
      ('called', 'waiting'), ('called', 'in_service'), ('called', 'no_show'),
      ('away', 'waiting'),
      ('in_service', 'completed'), ('in_service', 'transferred'))
  $fn$;

-- Inserts a queue entry given as a JSON object of its columns: a new arrival, waiting.
CREATE FUNCTION queue.insert_queue_entry(p_entry jsonb) RETURNS void
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      r queue.queue_entries := jsonb_populate_record(NULL::queue.queue_entries, p_entry);
      claims jsonb := auth.jwt();
    BEGIN
      IF NOT public.carequeue_trusted_caller() THEN
        IF (NOT coalesce(queue.staff_reaches(claims, r.tenant_id, r.clinic_id), false)
          OR r.status <> 'waiting' OR r.version <> 0 OR r.recall_count <> 0
          OR r.called_at IS NOT NULL OR r.first_called_at IS NOT NULL OR r.called_by IS NOT NULL
          OR r.service_started_at IS NOT NULL OR r.ended_at IS NOT NULL
          OR r.transferred_to_entry_id IS NOT NULL
          OR (r.appointment_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM queue.appointments a
            WHERE a.tenant_id = r.tenant_id AND a.id = r.appointment_id
              AND a.patient_id IS NOT DISTINCT FROM r.patient_id))
          OR ((r.source = 'transfer') <> (r.transferred_from_entry_id IS NOT NULL))
          OR (r.transferred_from_entry_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM queue.queue_entries e
            WHERE e.tenant_id = r.tenant_id AND e.id = r.transferred_from_entry_id
              AND e.patient_id IS NOT DISTINCT FROM r.patient_id
              AND queue.staff_reaches(claims, e.tenant_id, e.clinic_id))))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('queue entry');
        END IF;
      END IF;
      INSERT INTO queue.queue_entries (id, tenant_id, clinic_id, queue_id, patient_id,
          appointment_id, service_type_id, source, status, priority, ordering_key, ticket,
          guest_name, recall_count, counter, called_by, checked_in_at, effective_at, called_at,
          first_called_at, service_started_at, ended_at, transferred_to_entry_id,
          transferred_from_entry_id, updated_at, version)
        VALUES (r.id, r.tenant_id, r.clinic_id, r.queue_id, r.patient_id, r.appointment_id,
          r.service_type_id, r.source, r.status, r.priority, r.ordering_key, r.ticket,
          r.guest_name, r.recall_count, r.counter, r.called_by, r.checked_in_at, r.effective_at,
          r.called_at, r.first_called_at, r.service_started_at, r.ended_at,
          r.transferred_to_entry_id, r.transferred_from_entry_id, r.updated_at, r.version);
    END
  $fn$;

-- Replaces a queue entry whose stored version is the given version - 1. False (nothing written)
-- when the version differs or the caller cannot reach the entry.
CREATE FUNCTION queue.update_queue_entry(p_entry jsonb) RETURNS boolean
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      r queue.queue_entries := jsonb_populate_record(NULL::queue.queue_entries, p_entry);
      claims jsonb := auth.jwt();
      old queue.queue_entries;
    BEGIN
      SELECT * INTO old FROM queue.queue_entries e
      WHERE e.tenant_id = r.tenant_id AND e.id = r.id FOR UPDATE;
      IF NOT FOUND OR old.version <> r.version - 1 THEN
        RETURN false;
      END IF;
      IF NOT public.carequeue_trusted_caller() THEN
        IF NOT coalesce(queue.staff_reaches(claims, old.tenant_id, old.clinic_id), false) THEN
          RETURN false;
        END IF;
        IF ((r.clinic_id, r.queue_id, r.patient_id, r.appointment_id, r.source, r.ticket,
            r.guest_name, r.checked_in_at, r.effective_at, r.transferred_from_entry_id)
          IS DISTINCT FROM (old.clinic_id, old.queue_id, old.patient_id, old.appointment_id,
            old.source, old.ticket, old.guest_name, old.checked_in_at, old.effective_at,
            old.transferred_from_entry_id)
          OR NOT (queue.queue_entry_transition_allowed(old.status, r.status)
            OR (old.status = 'waiting' AND r.status = 'waiting'))
          OR r.recall_count < old.recall_count
          OR (r.transferred_to_entry_id IS DISTINCT FROM old.transferred_to_entry_id
            AND (r.status <> 'transferred' OR NOT EXISTS (
              SELECT 1 FROM queue.queue_entries t
              WHERE t.tenant_id = old.tenant_id AND t.id = r.transferred_to_entry_id
                AND t.transferred_from_entry_id = old.id))))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('queue entry change');
        END IF;
      END IF;
      UPDATE queue.queue_entries e SET clinic_id = r.clinic_id, queue_id = r.queue_id,
          patient_id = r.patient_id, appointment_id = r.appointment_id,
          service_type_id = r.service_type_id, source = r.source, status = r.status,
          priority = r.priority, ordering_key = r.ordering_key, ticket = r.ticket,
          guest_name = r.guest_name, recall_count = r.recall_count, counter = r.counter,
          called_by = r.called_by, checked_in_at = r.checked_in_at, effective_at = r.effective_at,
          called_at = r.called_at, first_called_at = r.first_called_at,
          service_started_at = r.service_started_at, ended_at = r.ended_at,
          transferred_to_entry_id = r.transferred_to_entry_id,
          transferred_from_entry_id = r.transferred_from_entry_id, updated_at = r.updated_at,
          version = r.version
        WHERE e.tenant_id = old.tenant_id AND e.id = old.id;
      RETURN true;
    END
  $fn$;

-- Call-next: the head waiting entry of a line becomes called, skipping entries other callers
-- hold. Staff of the line's clinic only; they call in their own name.
CREATE FUNCTION queue.call_next_entry(p_tenant uuid, p_queue uuid, p_clinic uuid,
  p_at timestamptz, p_counter text, p_called_by uuid)
  RETURNS SETOF queue.queue_entries
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    UPDATE queue.queue_entries entry
    SET status = 'called', called_at = p_at, first_called_at = coalesce(entry.first_called_at, p_at),
      counter = p_counter, called_by = p_called_by, updated_at = p_at, version = entry.version + 1
    FROM (
      SELECT e.id FROM queue.queue_entries e
      WHERE e.tenant_id = p_tenant AND e.queue_id = p_queue AND e.status = 'waiting'
        AND e.clinic_id = p_clinic
        AND (public.carequeue_trusted_caller()
          OR (coalesce(queue.staff_reaches(auth.jwt(), p_tenant, p_clinic), false)
            AND (p_called_by IS NULL
              OR p_called_by::text = auth.jwt() -> 'app_metadata' ->> 'staff_id')))
      ORDER BY e.ordering_key, e.id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    ) head
    WHERE entry.id = head.id
    RETURNING entry.*
  $fn$;

-- Schedules a job; true when it was inserted, false when its unique key exists already.
CREATE FUNCTION queue.schedule_job(p_id uuid, p_tenant uuid, p_kind text, p_unique_key text,
  p_payload jsonb, p_run_at timestamptz, p_max_attempts integer, p_now timestamptz)
  RETURNS boolean
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      claims jsonb := auth.jwt();
      now_at timestamptz := public.carequeue_caller_time(p_now);
      subject queue.appointments;
      inserted integer;
    BEGIN
      IF NOT public.carequeue_trusted_caller() THEN
        IF p_payload ? 'appointmentId' THEN
          SELECT * INTO subject FROM queue.appointments a
          WHERE a.tenant_id = p_tenant AND a.id::text = p_payload ->> 'appointmentId';
          IF (subject.id IS NULL
            OR NOT (coalesce(queue.staff_reaches(claims, p_tenant, subject.clinic_id), false)
              OR coalesce(queue.own_patient(claims, p_tenant, subject.patient_id), false))
            OR right(p_unique_key, 37) <> ':' || subject.id::text
            OR (p_payload ? 'clinicId'
              AND p_payload ->> 'clinicId' IS DISTINCT FROM subject.clinic_id::text))
            IS NOT FALSE
          THEN
            PERFORM queue.refuse('job');
          END IF;
        ELSIF NOT coalesce(queue.staff_reaches(claims, p_tenant,
            CASE WHEN p_payload ->> 'clinicId' ~ '^[0-9a-fA-F-]{36}$'
              THEN (p_payload ->> 'clinicId')::uuid END), false) THEN
          PERFORM queue.refuse('job');
        END IF;
      END IF;
      INSERT INTO queue.jobs (id, tenant_id, kind, unique_key, payload, run_at, max_attempts,
          created_at, updated_at)
        VALUES (p_id, p_tenant, p_kind, p_unique_key, p_payload, p_run_at, p_max_attempts,
          now_at, now_at)
        ON CONFLICT (tenant_id, unique_key) DO NOTHING;
      GET DIAGNOSTICS inserted = ROW_COUNT;
      RETURN inserted = 1;
    END
  $fn$;

REVOKE INSERT, UPDATE ON queue.queue_entries, queue.jobs FROM authenticated;
DROP POLICY queue_entries_insert ON queue.queue_entries;
DROP POLICY queue_entries_update ON queue.queue_entries;
DROP POLICY jobs_insert ON queue.jobs;

-- Queue lines keep direct writes for the ticket counter and the event version, and nothing else.
REVOKE INSERT, UPDATE ON queue.queue_lines FROM authenticated;
GRANT INSERT (tenant_id, queue_id, clinic_id, last_ticket, created_at) ON queue.queue_lines
  TO authenticated;
GRANT UPDATE (last_ticket, version) ON queue.queue_lines TO authenticated;

DROP POLICY patients_update ON queue.patients;
CREATE POLICY patients_update ON queue.patients FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['clinician', 'receptionist'])
        AND EXISTS (
          SELECT 1 FROM queue.patient_clinics link
          WHERE link.tenant_id = patients.tenant_id AND link.patient_id = patients.id
            AND link.clinic_id = ANY (queue.claim_clinics((SELECT auth.jwt()))))))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['clinician', 'receptionist'])
        AND EXISTS (
          SELECT 1 FROM queue.patient_clinics link
          WHERE link.tenant_id = patients.tenant_id AND link.patient_id = patients.id
            AND link.clinic_id = ANY (queue.claim_clinics((SELECT auth.jwt()))))));

REVOKE ALL ON FUNCTION queue.queue_entry_transition_allowed(text, text),
  queue.insert_queue_entry(jsonb), queue.update_queue_entry(jsonb),
  queue.call_next_entry(uuid, uuid, uuid, timestamptz, text, uuid),
  queue.schedule_job(uuid, uuid, text, text, jsonb, timestamptz, integer, timestamptz)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.queue_entry_transition_allowed(text, text),
  queue.insert_queue_entry(jsonb), queue.update_queue_entry(jsonb),
  queue.call_next_entry(uuid, uuid, uuid, timestamptz, text, uuid),
  queue.schedule_job(uuid, uuid, text, text, jsonb, timestamptz, integer, timestamptz)
  TO authenticated, service_role;

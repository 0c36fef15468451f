-- End users write appointments, seats and waitlist entries only through functions that apply the
-- booking service's checks. Before this migration a patient could UPDATE any column of their own
-- appointments (revive a cancelled hold as booked at another clinic and time, skipping
-- availability and audit), choose their own timestamps, insert a seat for another patient's
-- appointment, or move their waitlist entry to the front by rewriting created_at.
--
-- authenticated keeps SELECT on these tables (row-level security still decides which rows) and
-- loses INSERT and UPDATE (and INSERT/DELETE on seats). The definer functions below do the
-- writes. For a trusted caller (service_role or the owner, judged by the database role as in
-- migration 0009) they write what they are given, as the tables did. For an end user they check
-- what the service checks and stamp every time with the SQL clock (core migration 0003):
-- - reach: clinic staff of the appointment's clinic (owners and admins tenant-wide) or the
--   patient it belongs to, from the verified claims;
-- - a new appointment is a pending hold (expiring within 24 hours of now) or a booking, of an
--   active service type of that clinic (its duration and buffers), with a staff member who has a
--   schedule there, and a patient books only from now plus the clinic's minimum notice up to its
--   booking horizon (a minute of clock skew allowed); the exclusion constraint of migration 0003
--   refuses any overlap;
-- - a group seat shares its group slot id only with seats of the same session, and no
--   appointment id poses as a group slot id, so the exclusion constraint cannot be sidestepped;
-- - a change moves the status along the appointment state machine (core's
--   appointmentTransitions; a patient only confirms a live hold or cancels), never changes who,
--   where or when, and the function computes the cancellation date and late-cancel flag itself.
-- Refusals raise SQLSTATE 42501 without values in the message. Postgres 15 compatible.

-- Mirrors core's appointmentTransitions (packages/core/src/model/appointment.ts); a test checks
-- that both agree on every pair of statuses.
CREATE FUNCTION queue.appointment_transition_allowed(p_from text, p_to text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT (p_to = 'entered-in-error' AND p_from <> 'entered-in-error') OR (p_from, p_to) IN (
      ('proposed', 'pending'), ('proposed', 'booked'),
      ('pending', 'booked'), ('pending', 'cancelled'),
      ('waitlist', 'booked'), ('waitlist', 'cancelled'),
      ('booked', 'arrived'), ('booked', 'checked-in'), ('booked', 'cancelled'), ('booked', 'noshow'),
      ('arrived', 'checked-in'), ('arrived', 'fulfilled'), ('arrived', 'noshow'),
      ('checked-in', 'fulfilled'))
  $fn$;

CREATE INDEX appointments_group_slot_idx ON queue.appointments (tenant_id, group_slot_id)
  WHERE group_slot_id IS NOT NULL;

-- The lock the SQL repository takes before writing a staff member's calendar, taken here too so
-- direct callers queue behind it the same way.
CREATE FUNCTION queue.lock_calendar(p_tenant uuid, p_staff uuid) RETURNS void
  LANGUAGE sql
  AS $fn$
    SELECT pg_advisory_xact_lock(hashtextextended('queue.calendar:' || p_tenant || ':' || p_staff, 0))
  $fn$;

CREATE FUNCTION queue.refuse(p_what text) RETURNS void
  LANGUAGE plpgsql
  AS $fn$
    BEGIN
      RAISE EXCEPTION '% refused for this caller', p_what USING ERRCODE = '42501';
    END
  $fn$;

-- Inserts an appointment given as a JSON object of its columns (the SQL repository's row).
CREATE FUNCTION queue.insert_appointment(p_appointment jsonb) RETURNS void
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      r queue.appointments := jsonb_populate_record(NULL::queue.appointments, p_appointment);
      claims jsonb := auth.jwt();
      now_at timestamptz := public.carequeue_now();
      staff_caller boolean;
      kind queue.service_types;
      settings jsonb;
    BEGIN
      IF NOT public.carequeue_trusted_caller() THEN
        staff_caller := coalesce(queue.staff_reaches(claims, r.tenant_id, r.clinic_id), false);
        IF NOT (staff_caller
            OR coalesce(queue.own_patient(claims, r.tenant_id, r.patient_id), false)) THEN
          PERFORM queue.refuse('appointment');
        END IF;
        SELECT * INTO kind FROM queue.service_types s
        WHERE s.tenant_id = r.tenant_id AND s.id = r.service_type_id AND s.clinic_id = r.clinic_id
          AND s.active;
        SELECT c.settings INTO settings FROM queue.clinics c
        WHERE c.tenant_id = r.tenant_id AND c.id = r.clinic_id;
        -- A NULL anywhere (a missing field) refuses too.
        IF (kind.id IS NULL
          OR r.status NOT IN ('pending', 'booked')
          OR r.version <> 0 OR r.cancellation_reason IS NOT NULL
          OR r.cancellation_date IS NOT NULL OR r.late_cancel
          OR r.ends_at <> r.starts_at + make_interval(mins => kind.duration_minutes)
          OR r.buffer_before_minutes <> kind.buffer_before_minutes
          OR r.buffer_after_minutes <> kind.buffer_after_minutes
          OR NOT EXISTS (
            SELECT 1 FROM queue.schedules s
            WHERE s.tenant_id = r.tenant_id AND s.staff_id = r.staff_id AND s.clinic_id = r.clinic_id)
          -- The service computes holds, notice and horizon with the application's clock, which
          -- may run up to a minute ahead of or behind the database's.
          OR (r.status = 'pending' AND (r.hold_expires_at IS NULL OR r.hold_expires_at <= now_at
              OR r.hold_expires_at > now_at + interval '1441 minutes'))
          OR (r.status = 'booked' AND r.hold_expires_at IS NOT NULL)
          OR (r.previous_appointment_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM queue.appointments p
            WHERE p.tenant_id = r.tenant_id AND p.id = r.previous_appointment_id
              AND p.patient_id = r.patient_id AND p.status = 'cancelled'))
          -- Only clinic staff may book outside the notice and horizon, or write notes.
          OR (NOT staff_caller AND (r.notes IS NOT NULL
            OR r.starts_at < now_at - interval '1 minute'
              + make_interval(mins => coalesce((settings ->> 'minimumNoticeMinutes')::integer, 0))
            OR r.starts_at > now_at + interval '1 minute'
              + make_interval(hours => 24 * coalesce((settings ->> 'bookingHorizonDays')::integer, 0)))))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('appointment');
        END IF;
        PERFORM queue.lock_calendar(r.tenant_id, r.staff_id);
        IF (EXISTS (SELECT 1 FROM queue.appointments a
                   WHERE a.tenant_id = r.tenant_id AND a.group_slot_id = r.id)
          OR (r.group_slot_id IS NOT NULL AND (
            EXISTS (SELECT 1 FROM queue.appointments a
                    WHERE a.tenant_id = r.tenant_id AND a.id = r.group_slot_id)
            OR EXISTS (SELECT 1 FROM queue.appointments a
                       WHERE a.tenant_id = r.tenant_id AND a.group_slot_id = r.group_slot_id
                         AND (a.staff_id, a.service_type_id, a.clinic_id, a.starts_at, a.ends_at)
                           IS DISTINCT FROM
                             (r.staff_id, r.service_type_id, r.clinic_id, r.starts_at, r.ends_at)))))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('appointment');
        END IF;
        r.created_at := now_at;
        r.updated_at := now_at;
      END IF;
      INSERT INTO queue.appointments (id, tenant_id, clinic_id, patient_id, staff_id,
          service_type_id, status, starts_at, ends_at, hold_expires_at, cancellation_reason,
          cancellation_date, late_cancel, previous_appointment_id, notes, created_at, updated_at,
          version, buffer_before_minutes, buffer_after_minutes, group_slot_id, idempotency_key,
          idempotency_fingerprint)
        VALUES (r.id, r.tenant_id, r.clinic_id, r.patient_id, r.staff_id, r.service_type_id,
          r.status, r.starts_at, r.ends_at, r.hold_expires_at, r.cancellation_reason,
          r.cancellation_date, r.late_cancel, r.previous_appointment_id, r.notes, r.created_at,
          r.updated_at, r.version, r.buffer_before_minutes, r.buffer_after_minutes,
          r.group_slot_id, r.idempotency_key, r.idempotency_fingerprint);
    END
  $fn$;

-- Replaces an appointment whose stored version is the given version - 1. False (nothing written)
-- when the version differs or the caller cannot reach the appointment.
CREATE FUNCTION queue.update_appointment(p_appointment jsonb) RETURNS boolean
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      r queue.appointments := jsonb_populate_record(NULL::queue.appointments, p_appointment);
      claims jsonb := auth.jwt();
      now_at timestamptz := public.carequeue_now();
      old queue.appointments;
      staff_caller boolean;
      window_minutes integer;
    BEGIN
      SELECT * INTO old FROM queue.appointments a
      WHERE a.tenant_id = r.tenant_id AND a.id = r.id FOR UPDATE;
      IF NOT FOUND OR old.version <> r.version - 1 THEN
        RETURN false;
      END IF;
      IF NOT public.carequeue_trusted_caller() THEN
        staff_caller := coalesce(queue.staff_reaches(claims, old.tenant_id, old.clinic_id), false);
        IF NOT (staff_caller
            OR coalesce(queue.own_patient(claims, old.tenant_id, old.patient_id), false)) THEN
          RETURN false;
        END IF;
        IF ((r.clinic_id, r.patient_id, r.staff_id, r.service_type_id, r.starts_at, r.ends_at,
            r.buffer_before_minutes, r.buffer_after_minutes, r.group_slot_id,
            r.previous_appointment_id, r.created_at)
          IS DISTINCT FROM (old.clinic_id, old.patient_id, old.staff_id, old.service_type_id,
            old.starts_at, old.ends_at, old.buffer_before_minutes, old.buffer_after_minutes,
            old.group_slot_id, old.previous_appointment_id, old.created_at)
          OR NOT queue.appointment_transition_allowed(old.status, r.status)
          OR (NOT staff_caller AND (r.notes IS DISTINCT FROM old.notes
            OR NOT ((old.status = 'pending' AND r.status = 'booked') OR r.status = 'cancelled')))
          OR (r.status = 'booked' AND (r.hold_expires_at IS NOT NULL
            OR coalesce(old.hold_expires_at <= now_at, false)))
          OR (r.status = 'cancelled' AND (r.cancellation_reason IS NULL
            OR r.cancellation_reason = 'hold-expired' OR r.hold_expires_at IS NOT NULL))
          OR (r.status NOT IN ('booked', 'cancelled') AND (
            r.hold_expires_at IS DISTINCT FROM old.hold_expires_at
            OR r.cancellation_reason IS DISTINCT FROM old.cancellation_reason)))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('appointment change');
        END IF;
        r.updated_at := now_at;
        r.cancellation_date := old.cancellation_date;
        r.late_cancel := old.late_cancel;
        IF r.status = 'cancelled' THEN
          SELECT coalesce((c.settings ->> 'lateCancelWindowMinutes')::integer, 0) INTO window_minutes
          FROM queue.clinics c WHERE c.tenant_id = old.tenant_id AND c.id = old.clinic_id;
          r.cancellation_date := now_at;
          r.late_cancel := old.status = 'booked' AND r.cancellation_reason = 'patient-request'
            AND old.starts_at - now_at < make_interval(mins => coalesce(window_minutes, 0));
        END IF;
      END IF;
      UPDATE queue.appointments a SET clinic_id = r.clinic_id, patient_id = r.patient_id,
          staff_id = r.staff_id, service_type_id = r.service_type_id, status = r.status,
          starts_at = r.starts_at, ends_at = r.ends_at, hold_expires_at = r.hold_expires_at,
          cancellation_reason = r.cancellation_reason, cancellation_date = r.cancellation_date,
          late_cancel = r.late_cancel, previous_appointment_id = r.previous_appointment_id,
          notes = r.notes, created_at = r.created_at, updated_at = r.updated_at,
          version = r.version, buffer_before_minutes = r.buffer_before_minutes,
          buffer_after_minutes = r.buffer_after_minutes, group_slot_id = r.group_slot_id
        WHERE a.tenant_id = old.tenant_id AND a.id = old.id;
      RETURN true;
    END
  $fn$;

-- Moves an appointment of version p_version from status p_from to p_to (arrivals at the front
-- desk), with the checks of update_appointment. False when the appointment is not at that
-- version and status, or the caller cannot reach it.
CREATE FUNCTION queue.transition_appointment(
  p_tenant uuid, p_id uuid, p_version integer, p_from text, p_to text, p_at timestamptz)
  RETURNS boolean
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    SELECT coalesce((
      SELECT queue.update_appointment(to_jsonb(a) || jsonb_build_object(
        'status', p_to, 'updated_at', p_at, 'version', a.version + 1))
      FROM queue.appointments a
      WHERE a.tenant_id = p_tenant AND a.id = p_id AND a.version = p_version
        AND a.status = p_from), false)
  $fn$;

-- Frees the seat of an appointment. An end user frees only the seat of an appointment within
-- their reach that no longer occupies its slot (cancelled first, then freed, as the service does).
CREATE FUNCTION queue.release_seat(p_tenant uuid, p_appointment uuid) RETURNS void
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DELETE FROM queue.appointment_seats s
    USING queue.appointments a
    WHERE s.tenant_id = p_tenant AND s.appointment_id = p_appointment
      AND a.tenant_id = s.tenant_id AND a.id = s.appointment_id
      AND (public.carequeue_trusted_caller()
        OR (a.status NOT IN ('pending', 'booked', 'arrived', 'checked-in')
          AND (queue.staff_reaches(auth.jwt(), a.tenant_id, a.clinic_id)
            OR queue.own_patient(auth.jwt(), a.tenant_id, a.patient_id))))
  $fn$;

-- Inserts a waitlist entry given as a JSON object of its columns. An end user adds a waiting
-- entry for a service type of the clinic, stamped with the SQL clock, so it queues from now.
CREATE FUNCTION queue.insert_waitlist_entry(p_entry jsonb) RETURNS void
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      r queue.waitlist_entries := jsonb_populate_record(NULL::queue.waitlist_entries, p_entry);
      claims jsonb := auth.jwt();
    BEGIN
      IF NOT public.carequeue_trusted_caller() THEN
        IF (NOT (coalesce(queue.staff_reaches(claims, r.tenant_id, r.clinic_id), false)
            OR coalesce(queue.own_patient(claims, r.tenant_id, r.patient_id), false))
          OR r.status <> 'waiting' OR r.offered_appointment_id IS NOT NULL OR r.version <> 0
          OR NOT EXISTS (
            SELECT 1 FROM queue.service_types s
            WHERE s.tenant_id = r.tenant_id AND s.id = r.service_type_id
              AND s.clinic_id = r.clinic_id))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('waitlist entry');
        END IF;
        r.created_at := public.carequeue_now();
        r.updated_at := r.created_at;
      END IF;
      INSERT INTO queue.waitlist_entries (id, tenant_id, clinic_id, patient_id, service_type_id,
          staff_id, earliest_at, latest_at, status, offered_appointment_id, created_at,
          updated_at, version)
        VALUES (r.id, r.tenant_id, r.clinic_id, r.patient_id, r.service_type_id, r.staff_id,
          r.earliest_at, r.latest_at, r.status, r.offered_appointment_id, r.created_at,
          r.updated_at, r.version);
    END
  $fn$;

-- Replaces a waitlist entry whose stored version is the given version - 1. An end user only
-- closes an offer whose hold they booked (offered to booked); offers and their lapse are the
-- workers' and the definer functions' business. False when the version differs or the caller
-- cannot reach the entry.
CREATE FUNCTION queue.update_waitlist_entry(p_entry jsonb) RETURNS boolean
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      r queue.waitlist_entries := jsonb_populate_record(NULL::queue.waitlist_entries, p_entry);
      claims jsonb := auth.jwt();
      old queue.waitlist_entries;
    BEGIN
      SELECT * INTO old FROM queue.waitlist_entries w
      WHERE w.tenant_id = r.tenant_id AND w.id = r.id FOR UPDATE;
      IF NOT FOUND OR old.version <> r.version - 1 THEN
        RETURN false;
      END IF;
      IF NOT public.carequeue_trusted_caller() THEN
        IF NOT (coalesce(queue.staff_reaches(claims, old.tenant_id, old.clinic_id), false)
            OR coalesce(queue.own_patient(claims, old.tenant_id, old.patient_id), false)) THEN
          RETURN false;
        END IF;
        IF ((r.clinic_id, r.patient_id, r.service_type_id, r.staff_id, r.earliest_at, r.latest_at,
            r.offered_appointment_id, r.created_at)
          IS DISTINCT FROM (old.clinic_id, old.patient_id, old.service_type_id, old.staff_id,
            old.earliest_at, old.latest_at, old.offered_appointment_id, old.created_at)
          OR old.status <> 'offered' OR r.status <> 'booked'
          OR NOT EXISTS (
            SELECT 1 FROM queue.appointments a
            WHERE a.tenant_id = old.tenant_id AND a.id = old.offered_appointment_id
              AND a.status = 'booked'))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('waitlist change');
        END IF;
        r.updated_at := public.carequeue_now();
      END IF;
      UPDATE queue.waitlist_entries w SET clinic_id = r.clinic_id, patient_id = r.patient_id,
          service_type_id = r.service_type_id, staff_id = r.staff_id,
          earliest_at = r.earliest_at, latest_at = r.latest_at, status = r.status,
          offered_appointment_id = r.offered_appointment_id, created_at = r.created_at,
          updated_at = r.updated_at, version = r.version
        WHERE w.tenant_id = old.tenant_id AND w.id = old.id;
      RETURN true;
    END
  $fn$;

REVOKE INSERT, UPDATE ON queue.appointments, queue.waitlist_entries FROM authenticated;
REVOKE INSERT, DELETE ON queue.appointment_seats FROM authenticated;
DROP POLICY appointments_insert ON queue.appointments;
DROP POLICY appointments_update ON queue.appointments;
DROP POLICY waitlist_entries_insert ON queue.waitlist_entries;
DROP POLICY waitlist_entries_update ON queue.waitlist_entries;
DROP POLICY appointment_seats_insert ON queue.appointment_seats;
DROP POLICY appointment_seats_delete ON queue.appointment_seats;

REVOKE ALL ON FUNCTION queue.appointment_transition_allowed(text, text),
  queue.lock_calendar(uuid, uuid), queue.refuse(text), queue.insert_appointment(jsonb),
  queue.update_appointment(jsonb),
  queue.transition_appointment(uuid, uuid, integer, text, text, timestamptz),
  queue.release_seat(uuid, uuid), queue.insert_waitlist_entry(jsonb),
  queue.update_waitlist_entry(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.appointment_transition_allowed(text, text),
  queue.insert_appointment(jsonb), queue.update_appointment(jsonb),
  queue.transition_appointment(uuid, uuid, integer, text, text, timestamptz),
  queue.release_seat(uuid, uuid), queue.insert_waitlist_entry(jsonb),
  queue.update_waitlist_entry(jsonb) TO authenticated, service_role;

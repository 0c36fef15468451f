-- The definer functions of migrations 0003 and 0007 are granted to authenticated, so any
-- signed-in user can call them through PostgREST with arguments of their choosing. They took
-- their time from the caller (p_now) and admitted a caller whose claims merely said
-- `"role": "service_role"`. A patient passing p_now = 2030-01-01 cancelled another patient's hold
-- that still had ten minutes to live.
--
-- They now act at public.carequeue_caller_time(p_now): the caller's time only when the database
-- role the statement runs as is service_role or the owner, else the SQL clock (core migration
-- 0002). And they admit a caller by that database role (public.carequeue_trusted_caller()) or by
-- the verified claims (tenant, roles, clinics, patient id), never by a role written into the
-- claims. Signatures are unchanged, so callers need no change. Postgres 15 compatible.

CREATE OR REPLACE FUNCTION queue.expire_overlapping_holds(
  p_tenant uuid, p_staff uuid, p_range tstzrange, p_now timestamptz)
  RETURNS TABLE (id uuid, patient_id uuid, clinic_id uuid, version integer)
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    WITH caller AS (
      SELECT public.carequeue_caller_time(p_now) AS now,
        public.carequeue_trusted_caller() OR queue.tenant_member(auth.jwt(), p_tenant) AS admitted),
    expired AS (
      UPDATE queue.appointments a
      SET status = 'cancelled', cancellation_reason = 'hold-expired', cancellation_date = c.now,
        hold_expires_at = NULL, updated_at = c.now, version = a.version + 1
      FROM caller c
      WHERE c.admitted AND a.tenant_id = p_tenant AND a.staff_id = p_staff
        AND a.status = 'pending' AND a.hold_expires_at <= c.now AND a.busy_range && p_range
      RETURNING a.id, a.patient_id, a.clinic_id, a.version),
    freed AS (
      DELETE FROM queue.appointment_seats s USING expired e
      WHERE s.tenant_id = p_tenant AND s.appointment_id = e.id)
    SELECT e.id, e.patient_id, e.clinic_id, e.version FROM expired e
  $fn$;

-- Seats go only to appointments that occupy their slot, and the seat row is stamped with the
-- caller's time only when the caller is trusted. Claims without a tenant make the reach test
-- NULL, which refuses too.
CREATE OR REPLACE FUNCTION queue.take_seat(
  p_tenant uuid, p_group_slot uuid, p_appointment uuid, p_capacity integer, p_now timestamptz)
  RETURNS integer
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      claims jsonb := auth.jwt();
      target record;
      seat integer;
    BEGIN
      SELECT a.clinic_id, a.patient_id INTO target FROM queue.appointments a
      WHERE a.tenant_id = p_tenant AND a.id = p_appointment AND a.group_slot_id = p_group_slot
        AND a.status IN ('pending', 'booked', 'arrived', 'checked-in');
      IF NOT FOUND OR NOT (public.carequeue_trusted_caller()
          OR coalesce(queue.staff_reaches(claims, p_tenant, target.clinic_id), false)
          OR coalesce(queue.own_patient(claims, p_tenant, target.patient_id), false)) THEN
        RAISE EXCEPTION 'seat refused for this caller' USING ERRCODE = '42501';
      END IF;
      PERFORM pg_advisory_xact_lock(hashtextextended('seat:' || p_group_slot::text, 0));
      SELECT n INTO seat FROM generate_series(1, p_capacity) AS n
      WHERE NOT EXISTS (
        SELECT 1 FROM queue.appointment_seats s
        WHERE s.tenant_id = p_tenant AND s.group_slot_id = p_group_slot AND s.seat_number = n)
      ORDER BY n LIMIT 1;
      IF seat IS NOT NULL THEN
        INSERT INTO queue.appointment_seats
          (tenant_id, clinic_id, group_slot_id, seat_number, appointment_id, patient_id, created_at)
        VALUES (p_tenant, target.clinic_id, p_group_slot, seat, p_appointment, target.patient_id,
          public.carequeue_caller_time(p_now));
      END IF;
      RETURN seat;
    END
  $fn$;

CREATE OR REPLACE FUNCTION queue.staff_busy_ranges(p_tenant uuid, p_staff uuid, p_range tstzrange)
  RETURNS TABLE (starts_at timestamptz, ends_at timestamptz, buffer_before_minutes integer,
    buffer_after_minutes integer, status text, hold_expires_at timestamptz, group_slot_id uuid,
    service_type_id uuid)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    SELECT a.starts_at, a.ends_at, a.buffer_before_minutes, a.buffer_after_minutes, a.status,
      a.hold_expires_at, a.group_slot_id, a.service_type_id
    FROM queue.appointments a
    WHERE a.tenant_id = p_tenant
      AND (public.carequeue_trusted_caller() OR queue.tenant_member(auth.jwt(), p_tenant))
      AND a.staff_id = p_staff AND a.status IN ('pending', 'booked', 'arrived', 'checked-in')
      AND a.busy_range && p_range
    ORDER BY a.starts_at
  $fn$;

CREATE OR REPLACE FUNCTION queue.reopen_lapsed_offers(p_tenant uuid, p_holds uuid[], p_now timestamptz)
  RETURNS TABLE (id uuid, patient_id uuid, version integer)
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    UPDATE queue.waitlist_entries w
    SET status = 'waiting', offered_appointment_id = NULL,
      updated_at = public.carequeue_caller_time(p_now), version = w.version + 1
    WHERE w.tenant_id = p_tenant
      AND (public.carequeue_trusted_caller() OR queue.tenant_member(auth.jwt(), p_tenant))
      AND w.status = 'offered' AND w.offered_appointment_id = ANY (p_holds)
      AND EXISTS (
        SELECT 1 FROM queue.appointments a
        WHERE a.tenant_id = p_tenant AND a.id = w.offered_appointment_id
          AND a.status = 'cancelled' AND a.cancellation_reason = 'hold-expired')
    RETURNING w.id, w.patient_id, w.version
  $fn$;

-- No double booking as a database guarantee: every appointment stores the range it takes from
-- its staff member (visit plus buffers) and an exclusion constraint refuses two overlapping
-- ranges of one staff member while both rows are in a slot-occupying status. Seats of a group
-- session share one group slot id, so they may overlap each other but nothing else; the seat
-- table gives each of them a unique seat number. Time never comes from now(): callers pass it.
-- Postgres 15 compatible; runs unchanged on PGlite (btree_gist loaded) and Supabase.

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE queue.appointments
  ADD COLUMN buffer_before_minutes integer NOT NULL DEFAULT 0
    CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  ADD COLUMN buffer_after_minutes integer NOT NULL DEFAULT 0
    CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  ADD COLUMN group_slot_id uuid,
  ADD COLUMN busy_range tstzrange;

-- A generated column cannot subtract an interval from a timestamptz (not immutable), so a
-- trigger keeps busy_range in step with the times and buffers on every write.
CREATE FUNCTION queue.appointment_busy_range() RETURNS trigger
  LANGUAGE plpgsql
  AS $fn$
    BEGIN
      NEW.busy_range := tstzrange(
        NEW.starts_at - make_interval(mins => NEW.buffer_before_minutes),
        NEW.ends_at + make_interval(mins => NEW.buffer_after_minutes),
        '[)');
      RETURN NEW;
    END
  $fn$;

CREATE TRIGGER appointments_busy_range BEFORE INSERT OR UPDATE ON queue.appointments
  FOR EACH ROW EXECUTE FUNCTION queue.appointment_busy_range();

UPDATE queue.appointments SET buffer_before_minutes = buffer_before_minutes;
ALTER TABLE queue.appointments ALTER COLUMN busy_range SET NOT NULL;

-- coalesce(group_slot_id, id) differs between any two ordinary appointments and between
-- appointments of different group slots, and is equal only for seats of the same group slot.
ALTER TABLE queue.appointments ADD CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
  tenant_id WITH =,
  staff_id WITH =,
  (coalesce(group_slot_id, id)) WITH <>,
  busy_range WITH &&
) WHERE (status IN ('pending', 'booked', 'arrived', 'checked-in'));

CREATE INDEX appointments_pending_holds_idx ON queue.appointments (tenant_id, hold_expires_at)
  WHERE status = 'pending';
CREATE INDEX appointments_booked_start_idx ON queue.appointments (tenant_id, clinic_id, starts_at)
  WHERE status = 'booked';

-- The hold a waitlist entry was offered, so confirming it can close the entry.
ALTER TABLE queue.waitlist_entries ADD COLUMN offered_appointment_id uuid;
CREATE INDEX waitlist_entries_waiting_idx ON queue.waitlist_entries
  (tenant_id, clinic_id, service_type_id, created_at, id) WHERE status = 'waiting';

CREATE TABLE queue.appointment_seats (
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  group_slot_id uuid NOT NULL,
  seat_number integer NOT NULL CHECK (seat_number >= 1),
  appointment_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, group_slot_id, seat_number),
  UNIQUE (tenant_id, appointment_id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES queue.appointments (tenant_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES queue.patients (tenant_id, id)
);

GRANT SELECT, INSERT, DELETE ON queue.appointment_seats TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON queue.appointment_seats TO service_role;

ALTER TABLE queue.appointment_seats ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.appointment_seats FORCE ROW LEVEL SECURITY;

-- Seat numbers are no secret among the group, but a seat row names its patient: clinic staff see
-- the seats of their clinics, a patient only their own.
CREATE POLICY appointment_seats_read ON queue.appointment_seats FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY appointment_seats_insert ON queue.appointment_seats FOR INSERT TO authenticated
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY appointment_seats_delete ON queue.appointment_seats FOR DELETE TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));

-- A patient booking must be able to clear another patient's lapsed hold that is in the way,
-- which row-level security hides from them. This definer function does only that: it cancels
-- pending holds of the caller's tenant whose expiry is at or before p_now and whose range
-- overlaps p_range, frees their seats, and returns what it changed so the caller can audit it.
CREATE FUNCTION queue.expire_overlapping_holds(
  p_tenant uuid, p_staff uuid, p_range tstzrange, p_now timestamptz)
  RETURNS TABLE (id uuid, patient_id uuid, clinic_id uuid, version integer)
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    WITH expired AS (
      UPDATE queue.appointments a
      SET status = 'cancelled', cancellation_reason = 'hold-expired', cancellation_date = p_now,
        hold_expires_at = NULL, updated_at = p_now, version = a.version + 1
      WHERE a.tenant_id = p_tenant
        AND (p_tenant = queue.claim_tenant(auth.jwt()) OR auth.jwt() ->> 'role' = 'service_role')
        AND a.staff_id = p_staff AND a.status = 'pending' AND a.hold_expires_at <= p_now
        AND a.busy_range && p_range
      RETURNING a.id, a.patient_id, a.clinic_id, a.version),
    freed AS (
      DELETE FROM queue.appointment_seats s USING expired e
      WHERE s.tenant_id = p_tenant AND s.appointment_id = e.id)
    SELECT e.id, e.patient_id, e.clinic_id, e.version FROM expired e
  $fn$;

-- Seat numbers must be chosen knowing every taken seat, which row-level security hides from a
-- patient. This definer function gives the appointment the lowest free seat of its group slot up
-- to p_capacity, under a transaction-scoped lock per group slot, and returns the number (NULL
-- when full). It acts only for a caller the insert policy would admit (staff of the clinic, the
-- patient themself, or the service role) and only for an appointment of that group slot.
CREATE FUNCTION queue.take_seat(
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
      WHERE a.tenant_id = p_tenant AND a.id = p_appointment AND a.group_slot_id = p_group_slot;
      IF NOT FOUND OR NOT (claims ->> 'role' = 'service_role'
          OR queue.staff_reaches(claims, p_tenant, target.clinic_id)
          OR queue.own_patient(claims, p_tenant, target.patient_id)) THEN
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
        VALUES (p_tenant, target.clinic_id, p_group_slot, seat, p_appointment, target.patient_id, p_now);
      END IF;
      RETURN seat;
    END
  $fn$;

-- Availability needs every busy range of a staff member, including appointments of other
-- patients that row-level security hides. This definer function returns the ranges only (times,
-- buffers, status, hold expiry, group slot, service type; no appointment or patient id) of
-- slot-occupying appointments overlapping p_range, to members of the tenant.
CREATE FUNCTION queue.staff_busy_ranges(p_tenant uuid, p_staff uuid, p_range tstzrange)
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
      AND (queue.tenant_member(auth.jwt(), p_tenant) OR auth.jwt() ->> 'role' = 'service_role')
      AND a.staff_id = p_staff AND a.status IN ('pending', 'booked', 'arrived', 'checked-in')
      AND a.busy_range && p_range
    ORDER BY a.starts_at
  $fn$;

REVOKE ALL ON FUNCTION queue.staff_busy_ranges(uuid, uuid, tstzrange) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.staff_busy_ranges(uuid, uuid, tstzrange)
  TO authenticated, service_role;
REVOKE ALL ON FUNCTION queue.take_seat(uuid, uuid, uuid, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.take_seat(uuid, uuid, uuid, integer, timestamptz)
  TO authenticated, service_role;
REVOKE ALL ON FUNCTION queue.expire_overlapping_holds(uuid, uuid, tstzrange, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.expire_overlapping_holds(uuid, uuid, tstzrange, timestamptz)
  TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION queue.appointment_busy_range() TO authenticated, service_role;

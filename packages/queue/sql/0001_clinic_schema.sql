-- Tenants, clinics, service types, staff, schedules, patients, appointments, waitlist and
-- invitations, with row-level security enabled and forced on every table.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- Claims come from auth.jwt() -> 'app_metadata' (never user_metadata, which users can edit):
-- tenant_id, roles (owner, admin, clinician, receptionist, patient), clinic_ids and patient_id.
-- Owners and admins see their whole tenant, clinicians and receptionists only the rows of their
-- clinics, a patient only the rows linked to their own patient id. anon is granted nothing.
-- service_role bypasses row-level security and is what workers and invitation acceptance use.

CREATE SCHEMA IF NOT EXISTS queue;
REVOKE ALL ON SCHEMA queue FROM PUBLIC;
GRANT USAGE ON SCHEMA queue TO authenticated, service_role;

-- Claim readers take the claims as an argument so that policies pass `(select auth.jwt())`,
-- which the planner evaluates once per statement instead of once per row.
CREATE FUNCTION queue.claim_tenant(claims jsonb) RETURNS uuid
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT nullif(claims -> 'app_metadata' ->> 'tenant_id', '')::uuid $fn$;

CREATE FUNCTION queue.claim_patient(claims jsonb) RETURNS uuid
  LANGUAGE sql IMMUTABLE
  AS $fn$ SELECT nullif(claims -> 'app_metadata' ->> 'patient_id', '')::uuid $fn$;

CREATE FUNCTION queue.claim_has_role(claims jsonb, roles text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT coalesce(jsonb_typeof(claims -> 'app_metadata' -> 'roles') = 'array'
      AND (claims -> 'app_metadata' -> 'roles') ?| roles, false)
  $fn$;

CREATE FUNCTION queue.claim_clinics(claims jsonb) RETURNS uuid[]
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT CASE WHEN jsonb_typeof(claims -> 'app_metadata' -> 'clinic_ids') = 'array'
      THEN ARRAY(SELECT jsonb_array_elements_text(claims -> 'app_metadata' -> 'clinic_ids')::uuid)
      ELSE '{}'::uuid[] END
  $fn$;

-- True for owners and admins of the row's tenant, and for clinic staff of the row's clinic.
CREATE FUNCTION queue.staff_reaches(claims jsonb, row_tenant uuid, row_clinic uuid) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT row_tenant = queue.claim_tenant(claims) AND (
      queue.claim_has_role(claims, ARRAY['owner', 'admin'])
      OR (queue.claim_has_role(claims, ARRAY['clinician', 'receptionist'])
          AND row_clinic = ANY (queue.claim_clinics(claims))))
  $fn$;

-- True for owners and admins of the row's tenant.
CREATE FUNCTION queue.tenant_manager(claims jsonb, row_tenant uuid) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT row_tenant = queue.claim_tenant(claims)
      AND queue.claim_has_role(claims, ARRAY['owner', 'admin'])
  $fn$;

-- True for the patient the row belongs to.
CREATE FUNCTION queue.own_patient(claims jsonb, row_tenant uuid, row_patient uuid) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT row_tenant = queue.claim_tenant(claims)
      AND queue.claim_has_role(claims, ARRAY['patient'])
      AND row_patient = queue.claim_patient(claims)
  $fn$;

-- True for any member (staff or patient) of the row's tenant.
CREATE FUNCTION queue.tenant_member(claims jsonb, row_tenant uuid) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT row_tenant = queue.claim_tenant(claims)
      AND queue.claim_has_role(claims, ARRAY['owner', 'admin', 'clinician', 'receptionist', 'patient'])
  $fn$;

CREATE TABLE queue.tenants (
  tenant_id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL
);

CREATE TABLE queue.clinics (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone text NOT NULL,
  address jsonb,
  settings jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  UNIQUE (tenant_id, id)
);

CREATE TABLE queue.service_types (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
  buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id)
);
CREATE INDEX service_types_clinic_idx ON queue.service_types (tenant_id, clinic_id, id);

CREATE TABLE queue.staff (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  user_id uuid,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  email text NOT NULL,
  roles text[] NOT NULL CHECK (
    cardinality(roles) > 0 AND roles <@ ARRAY['owner', 'admin', 'clinician', 'receptionist']),
  clinic_ids uuid[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, user_id)
);
CREATE INDEX staff_tenant_idx ON queue.staff (tenant_id, id);

CREATE TABLE queue.schedules (
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  time_zone text NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  PRIMARY KEY (tenant_id, staff_id, clinic_id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES queue.staff (tenant_id, id)
);

CREATE TABLE queue.schedule_weekly_hours (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  position integer NOT NULL,
  day text NOT NULL CHECK (
    day IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
  start_time text NOT NULL,
  end_time text NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id, clinic_id)
    REFERENCES queue.schedules (tenant_id, staff_id, clinic_id) ON DELETE CASCADE
);
CREATE INDEX schedule_weekly_hours_owner_idx
  ON queue.schedule_weekly_hours (tenant_id, staff_id, clinic_id, position);

CREATE TABLE queue.schedule_breaks (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  weekly_hours_id uuid NOT NULL,
  position integer NOT NULL,
  start_time text NOT NULL,
  end_time text NOT NULL,
  FOREIGN KEY (tenant_id, weekly_hours_id)
    REFERENCES queue.schedule_weekly_hours (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX schedule_breaks_hours_idx ON queue.schedule_breaks (tenant_id, weekly_hours_id);

CREATE TABLE queue.schedule_date_overrides (
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  date date NOT NULL,
  intervals jsonb NOT NULL,
  reason text,
  PRIMARY KEY (tenant_id, staff_id, clinic_id, date),
  FOREIGN KEY (tenant_id, staff_id, clinic_id)
    REFERENCES queue.schedules (tenant_id, staff_id, clinic_id) ON DELETE CASCADE
);

-- Direct identifiers the model needs stay searchable by staff; the national identifier is
-- stored only as an application-encrypted envelope plus a keyed blind index for exact lookup.
CREATE TABLE queue.patients (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  user_id uuid,
  given_name text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date NOT NULL,
  phone text,
  email text,
  preferred_channel text NOT NULL CHECK (preferred_channel IN ('sms', 'email', 'none')),
  address jsonb,
  medical_record_number text,
  national_id_ciphertext text,
  national_id_index text,
  notes text,
  consent jsonb NOT NULL,
  erased_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  UNIQUE (tenant_id, id),
  CHECK ((national_id_ciphertext IS NULL) = (national_id_index IS NULL))
);
CREATE INDEX patients_tenant_idx ON queue.patients (tenant_id, id);
CREATE INDEX patients_national_id_idx ON queue.patients (tenant_id, national_id_index)
  WHERE national_id_index IS NOT NULL;
CREATE INDEX patients_name_idx ON queue.patients (tenant_id, lower(family_name), lower(given_name));
CREATE INDEX patients_birth_idx ON queue.patients (tenant_id, date_of_birth);
CREATE INDEX patients_phone_idx ON queue.patients (tenant_id, phone);

-- The clinics a patient is registered at; clinic staff reach a patient through this link.
CREATE TABLE queue.patient_clinics (
  tenant_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, patient_id, clinic_id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES queue.patients (tenant_id, id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id)
);
CREATE INDEX patient_clinics_clinic_idx ON queue.patient_clinics (tenant_id, clinic_id, patient_id);

CREATE TABLE queue.appointments (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  service_type_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'pending', 'booked', 'arrived', 'fulfilled',
    'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  hold_expires_at timestamptz,
  cancellation_reason text,
  cancellation_date timestamptz,
  late_cancel boolean NOT NULL DEFAULT false,
  previous_appointment_id uuid,
  notes text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  CHECK (starts_at < ends_at),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES queue.patients (tenant_id, id),
  FOREIGN KEY (tenant_id, staff_id) REFERENCES queue.staff (tenant_id, id),
  FOREIGN KEY (tenant_id, service_type_id) REFERENCES queue.service_types (tenant_id, id)
);
CREATE INDEX appointments_staff_time_idx ON queue.appointments (tenant_id, staff_id, starts_at);
CREATE INDEX appointments_patient_idx ON queue.appointments (tenant_id, patient_id, starts_at);
CREATE INDEX appointments_clinic_time_idx ON queue.appointments (tenant_id, clinic_id, starts_at);

CREATE TABLE queue.waitlist_entries (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  service_type_id uuid NOT NULL,
  staff_id uuid,
  earliest_at timestamptz,
  latest_at timestamptz,
  status text NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'cancelled')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES queue.clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES queue.patients (tenant_id, id),
  FOREIGN KEY (tenant_id, service_type_id) REFERENCES queue.service_types (tenant_id, id)
);
CREATE INDEX waitlist_entries_clinic_idx ON queue.waitlist_entries (tenant_id, clinic_id, created_at, id);

-- The invitation token itself is never stored: only its SHA-256, which is how it is looked up.
CREATE TABLE queue.invitations (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  email text NOT NULL,
  roles text[] NOT NULL CHECK (
    cardinality(roles) > 0 AND roles <@ ARRAY['owner', 'admin', 'clinician', 'receptionist']),
  clinic_ids uuid[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  staff_id uuid,
  created_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0)
);
CREATE INDEX invitations_tenant_idx ON queue.invitations (tenant_id, created_at, id);

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA queue TO authenticated, service_role;
GRANT SELECT ON queue.tenants TO authenticated;
GRANT SELECT, INSERT, UPDATE ON queue.clinics, queue.service_types, queue.staff, queue.schedules,
  queue.patients, queue.appointments, queue.waitlist_entries, queue.invitations TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON queue.schedule_weekly_hours, queue.schedule_breaks,
  queue.schedule_date_overrides, queue.patient_clinics TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA queue TO service_role;

ALTER TABLE queue.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.clinics ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.clinics FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.service_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.service_types FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.staff FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.schedules FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.schedule_weekly_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.schedule_weekly_hours FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.schedule_breaks ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.schedule_breaks FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.schedule_date_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.schedule_date_overrides FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.patients FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.patient_clinics ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.patient_clinics FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.appointments FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.waitlist_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.waitlist_entries FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.invitations FORCE ROW LEVEL SECURITY;

CREATE POLICY tenants_member_read ON queue.tenants FOR SELECT TO authenticated
  USING (queue.tenant_member((SELECT auth.jwt()), tenant_id));

-- Clinic reference data (clinics, service types, schedules) is readable by patients of the
-- tenant so they can book; only owners and admins change it.
CREATE POLICY clinics_read ON queue.clinics FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['patient'])));
CREATE POLICY clinics_insert ON queue.clinics FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));
CREATE POLICY clinics_update ON queue.clinics FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

CREATE POLICY service_types_read ON queue.service_types FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['patient'])));
CREATE POLICY service_types_insert ON queue.service_types FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));
CREATE POLICY service_types_update ON queue.service_types FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

-- Staff rows carry e-mail addresses: clinic staff see colleagues sharing a clinic, patients none.
CREATE POLICY staff_read ON queue.staff FOR SELECT TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['clinician', 'receptionist'])
        AND clinic_ids && queue.claim_clinics((SELECT auth.jwt()))));
CREATE POLICY staff_insert ON queue.staff FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));
CREATE POLICY staff_update ON queue.staff FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

CREATE POLICY schedules_read ON queue.schedules FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['patient'])));
CREATE POLICY schedules_insert ON queue.schedules FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));
CREATE POLICY schedules_update ON queue.schedules FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

CREATE POLICY schedule_weekly_hours_read ON queue.schedule_weekly_hours FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['patient'])));
CREATE POLICY schedule_weekly_hours_write ON queue.schedule_weekly_hours FOR ALL TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

CREATE POLICY schedule_breaks_read ON queue.schedule_breaks FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['patient'])));
CREATE POLICY schedule_breaks_write ON queue.schedule_breaks FOR ALL TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

CREATE POLICY schedule_date_overrides_read ON queue.schedule_date_overrides FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['patient'])));
CREATE POLICY schedule_date_overrides_write ON queue.schedule_date_overrides FOR ALL TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

-- Clinic staff may register a patient anywhere in their tenant but read only the patients
-- registered at one of their clinics.
CREATE POLICY patients_read ON queue.patients FOR SELECT TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['clinician', 'receptionist'])
        AND EXISTS (
          SELECT 1 FROM queue.patient_clinics link
          WHERE link.tenant_id = patients.tenant_id AND link.patient_id = patients.id
            AND link.clinic_id = ANY (queue.claim_clinics((SELECT auth.jwt()))))));
CREATE POLICY patients_insert ON queue.patients FOR INSERT TO authenticated
  WITH CHECK (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
    AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['owner', 'admin', 'clinician', 'receptionist']));
CREATE POLICY patients_update ON queue.patients FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, id)
    OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['clinician', 'receptionist'])
        AND EXISTS (
          SELECT 1 FROM queue.patient_clinics link
          WHERE link.tenant_id = patients.tenant_id AND link.patient_id = patients.id
            AND link.clinic_id = ANY (queue.claim_clinics((SELECT auth.jwt()))))))
  WITH CHECK (tenant_id = queue.claim_tenant((SELECT auth.jwt())));

CREATE POLICY patient_clinics_read ON queue.patient_clinics FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY patient_clinics_write ON queue.patient_clinics FOR ALL TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id))
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id));

CREATE POLICY appointments_read ON queue.appointments FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY appointments_insert ON queue.appointments FOR INSERT TO authenticated
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY appointments_update ON queue.appointments FOR UPDATE TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id))
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));

CREATE POLICY waitlist_entries_read ON queue.waitlist_entries FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY waitlist_entries_insert ON queue.waitlist_entries FOR INSERT TO authenticated
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY waitlist_entries_update ON queue.waitlist_entries FOR UPDATE TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id))
  WITH CHECK (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));

-- Accepting an invitation happens before the invitee belongs to the tenant, so it runs as
-- service_role; tenant owners and admins manage the rest.
CREATE POLICY invitations_read ON queue.invitations FOR SELECT TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id));
CREATE POLICY invitations_insert ON queue.invitations FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));
CREATE POLICY invitations_update ON queue.invitations FOR UPDATE TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

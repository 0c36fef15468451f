-- What the Supabase repositories (@carequeue/queue/supabase) need beyond plain table access
-- through PostgREST: a view returning patients with their clinic registrations, and functions for
-- every operation that must be atomic or must keep its criteria out of URLs. Every function is
-- SECURITY INVOKER, so the caller's row-level security applies inside it exactly as it does to
-- the tables, and each PostgREST call runs in one transaction. Postgres 15 compatible.

-- A patient with the clinics it is registered at, so a page of patients is one request.
CREATE VIEW queue.patient_records WITH (security_invoker = true) AS
  SELECT p.id, p.tenant_id, p.user_id, p.given_name, p.family_name, p.date_of_birth, p.phone,
    p.email, p.preferred_channel, p.address, p.medical_record_number, p.national_id_ciphertext,
    p.national_id_index, p.notes, p.consent, p.erased_at, p.created_at, p.updated_at, p.version,
    ARRAY(SELECT pc.clinic_id FROM queue.patient_clinics pc
          WHERE pc.tenant_id = p.tenant_id AND pc.patient_id = p.id
          ORDER BY pc.clinic_id) AS clinic_ids
  FROM queue.patients p;

-- Keeps exactly the clinic registrations listed in p_clinic_ids.
CREATE FUNCTION queue.replace_patient_clinics(
  p_tenant uuid, p_patient uuid, p_clinic_ids uuid[], p_at timestamptz) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = ''
  AS $fn$
  BEGIN
    DELETE FROM queue.patient_clinics
      WHERE tenant_id = p_tenant AND patient_id = p_patient
        AND NOT (clinic_id = ANY (p_clinic_ids));
    INSERT INTO queue.patient_clinics (tenant_id, patient_id, clinic_id, created_at)
      SELECT p_tenant, p_patient, c, p_at FROM unnest(p_clinic_ids) AS c
      ON CONFLICT DO NOTHING;
  END
  $fn$;

-- Inserts a patient row (keys are the column names) with its clinic registrations.
CREATE FUNCTION queue.insert_patient(p_patient jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = ''
  AS $fn$
  DECLARE
    r queue.patients := jsonb_populate_record(NULL::queue.patients, p_patient);
  BEGIN
    -- Named columns, so a column added by a later migration keeps its default.
    INSERT INTO queue.patients (id, tenant_id, user_id, given_name, family_name, date_of_birth,
        phone, email, preferred_channel, address, medical_record_number, national_id_ciphertext,
        national_id_index, notes, consent, erased_at, created_at, updated_at, version)
      VALUES (r.id, r.tenant_id, r.user_id, r.given_name, r.family_name, r.date_of_birth,
        r.phone, r.email, r.preferred_channel, r.address, r.medical_record_number,
        r.national_id_ciphertext, r.national_id_index, r.notes, r.consent, r.erased_at,
        r.created_at, r.updated_at, r.version);
    PERFORM queue.replace_patient_clinics(r.tenant_id, r.id,
      ARRAY(SELECT jsonb_array_elements_text(p_patient -> 'clinic_ids')::uuid), r.updated_at);
  END
  $fn$;

-- Replaces a patient whose stored version is the given version - 1, with its registrations.
-- False (and nothing written) when the version differs or the row is not visible.
CREATE FUNCTION queue.update_patient(p_patient jsonb) RETURNS boolean
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = ''
  AS $fn$
  DECLARE
    r queue.patients := jsonb_populate_record(NULL::queue.patients, p_patient);
    changed integer;
  BEGIN
    UPDATE queue.patients p SET user_id = r.user_id, given_name = r.given_name,
        family_name = r.family_name, date_of_birth = r.date_of_birth, phone = r.phone,
        email = r.email, preferred_channel = r.preferred_channel, address = r.address,
        medical_record_number = r.medical_record_number,
        national_id_ciphertext = r.national_id_ciphertext, national_id_index = r.national_id_index,
        notes = r.notes, consent = r.consent, erased_at = r.erased_at, created_at = r.created_at,
        updated_at = r.updated_at, version = r.version
      WHERE p.id = r.id AND p.tenant_id = r.tenant_id AND p.version = r.version - 1;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> 1 THEN
      RETURN false;
    END IF;
    PERFORM queue.replace_patient_clinics(r.tenant_id, r.id,
      ARRAY(SELECT jsonb_array_elements_text(p_patient -> 'clinic_ids')::uuid), r.updated_at);
    RETURN true;
  END
  $fn$;

-- Patient search with the criteria in the request body: clinic_id, given_name and family_name
-- (case-insensitive equality), date_of_birth and phone (exact). Erased patients never match.
CREATE FUNCTION queue.search_patients(
  p_tenant uuid, p_criteria jsonb, p_after uuid, p_limit integer)
  RETURNS SETOF queue.patient_records
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = ''
  AS $fn$
    SELECT * FROM queue.patient_records r
    WHERE r.tenant_id = p_tenant AND r.erased_at IS NULL
      AND (p_after IS NULL OR r.id > p_after)
      AND (p_criteria ->> 'clinic_id' IS NULL
           OR (p_criteria ->> 'clinic_id')::uuid = ANY (r.clinic_ids))
      AND (p_criteria ->> 'given_name' IS NULL
           OR lower(r.given_name) = lower(p_criteria ->> 'given_name'))
      AND (p_criteria ->> 'family_name' IS NULL
           OR lower(r.family_name) = lower(p_criteria ->> 'family_name'))
      AND (p_criteria ->> 'date_of_birth' IS NULL
           OR r.date_of_birth = (p_criteria ->> 'date_of_birth')::date)
      AND (p_criteria ->> 'phone' IS NULL OR r.phone = p_criteria ->> 'phone')
    ORDER BY r.id
    LIMIT p_limit
  $fn$;

-- Patients by the keyed blind index of their national identifier, kept out of URLs as well.
CREATE FUNCTION queue.patients_by_national_id_index(p_tenant uuid, p_index text)
  RETURNS SETOF queue.patient_records
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = ''
  AS $fn$
    SELECT * FROM queue.patient_records r
    WHERE r.tenant_id = p_tenant AND r.national_id_index = p_index
    ORDER BY r.id
  $fn$;

-- A schedule as one JSON document (weekly hours with breaks, date overrides, in stored order),
-- or NULL when there is none or it is not visible.
CREATE FUNCTION queue.schedule_of(p_tenant uuid, p_staff uuid, p_clinic uuid) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = ''
  AS $fn$
    SELECT jsonb_build_object(
      'tenant_id', s.tenant_id, 'clinic_id', s.clinic_id, 'staff_id', s.staff_id,
      'time_zone', s.time_zone, 'updated_at', s.updated_at, 'version', s.version,
      'weekly_hours', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('day', h.day, 'start', h.start_time, 'end', h.end_time,
          'breaks', COALESCE((
            SELECT jsonb_agg(jsonb_build_object('start', b.start_time, 'end', b.end_time)
                             ORDER BY b.position)
            FROM queue.schedule_breaks b
            WHERE b.tenant_id = h.tenant_id AND b.weekly_hours_id = h.id), '[]'::jsonb))
          ORDER BY h.position)
        FROM queue.schedule_weekly_hours h
        WHERE h.tenant_id = s.tenant_id AND h.staff_id = s.staff_id AND h.clinic_id = s.clinic_id
      ), '[]'::jsonb),
      'date_overrides', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('date', o.date::text, 'intervals', o.intervals,
          'reason', o.reason) ORDER BY o.date)
        FROM queue.schedule_date_overrides o
        WHERE o.tenant_id = s.tenant_id AND o.staff_id = s.staff_id AND o.clinic_id = s.clinic_id
      ), '[]'::jsonb))
    FROM queue.schedules s
    WHERE s.tenant_id = p_tenant AND s.staff_id = p_staff AND s.clinic_id = p_clinic
  $fn$;

-- Saves a schedule whole, atomically: a new one when version is 0, else a replacement of the
-- stored one whose version is version - 1; its weekly hours, breaks and overrides are replaced.
-- False (and nothing written) when a new schedule exists already or the version differs.
CREATE FUNCTION queue.save_schedule(p_schedule jsonb) RETURNS boolean
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = ''
  AS $fn$
  DECLARE
    v_tenant uuid := (p_schedule ->> 'tenant_id')::uuid;
    v_staff uuid := (p_schedule ->> 'staff_id')::uuid;
    v_clinic uuid := (p_schedule ->> 'clinic_id')::uuid;
    v_version integer := (p_schedule ->> 'version')::integer;
    changed integer;
    hours jsonb;
    hours_id uuid;
    hours_position integer := 0;
    pause jsonb;
    pause_position integer;
  BEGIN
    IF v_version = 0 THEN
      INSERT INTO queue.schedules (tenant_id, staff_id, clinic_id, time_zone, updated_at, version)
        VALUES (v_tenant, v_staff, v_clinic, p_schedule ->> 'time_zone',
                (p_schedule ->> 'updated_at')::timestamptz, 0)
        ON CONFLICT DO NOTHING;
    ELSE
      UPDATE queue.schedules SET time_zone = p_schedule ->> 'time_zone',
          updated_at = (p_schedule ->> 'updated_at')::timestamptz, version = v_version
        WHERE tenant_id = v_tenant AND staff_id = v_staff AND clinic_id = v_clinic
          AND version = v_version - 1;
    END IF;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> 1 THEN
      RETURN false;
    END IF;
    DELETE FROM queue.schedule_weekly_hours
      WHERE tenant_id = v_tenant AND staff_id = v_staff AND clinic_id = v_clinic;
    DELETE FROM queue.schedule_date_overrides
      WHERE tenant_id = v_tenant AND staff_id = v_staff AND clinic_id = v_clinic;
    FOR hours IN SELECT value FROM jsonb_array_elements(p_schedule -> 'weekly_hours') LOOP
      hours_id := gen_random_uuid();
      INSERT INTO queue.schedule_weekly_hours
          (id, tenant_id, staff_id, clinic_id, position, day, start_time, end_time)
        VALUES (hours_id, v_tenant, v_staff, v_clinic, hours_position, hours ->> 'day',
                hours ->> 'start', hours ->> 'end');
      pause_position := 0;
      FOR pause IN SELECT value FROM jsonb_array_elements(COALESCE(hours -> 'breaks', '[]')) LOOP
        INSERT INTO queue.schedule_breaks
            (id, tenant_id, clinic_id, weekly_hours_id, position, start_time, end_time)
          VALUES (gen_random_uuid(), v_tenant, v_clinic, hours_id, pause_position,
                  pause ->> 'start', pause ->> 'end');
        pause_position := pause_position + 1;
      END LOOP;
      hours_position := hours_position + 1;
    END LOOP;
    INSERT INTO queue.schedule_date_overrides (tenant_id, staff_id, clinic_id, date, intervals, reason)
      SELECT v_tenant, v_staff, v_clinic, (o ->> 'date')::date, o -> 'intervals', o ->> 'reason'
      FROM jsonb_array_elements(p_schedule -> 'date_overrides') AS o;
    RETURN true;
  END
  $fn$;

-- The invitation whose token has this SHA-256, in the request body rather than the URL.
-- Visible to service_role (acceptance) and to the managers of the invitation's tenant.
CREATE FUNCTION queue.invitation_by_token_hash(p_token_hash text)
  RETURNS SETOF queue.invitations
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = ''
  AS $fn$
    SELECT * FROM queue.invitations WHERE token_hash = p_token_hash
  $fn$;

-- Applies the writes of one invitation unit of work in order, in one transaction: steps are
-- {"op": "insert_invitation" | "update_invitation" | "insert_staff", "row": {...columns}} and
-- {"op": "audit", "events": [...audit event records]}. An update whose stored version is not
-- version - 1 raises SQLSTATE PT409 (HTTP 409 through PostgREST) and nothing of the unit stays.
CREATE FUNCTION queue.commit_invitation_work(p_steps jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = ''
  AS $fn$
  DECLARE
    step jsonb;
    inv queue.invitations;
    member queue.staff;
    changed integer;
  BEGIN
    FOR step IN SELECT value FROM jsonb_array_elements(p_steps) LOOP
      CASE step ->> 'op'
      WHEN 'insert_invitation' THEN
        inv := jsonb_populate_record(NULL::queue.invitations, step -> 'row');
        INSERT INTO queue.invitations (id, tenant_id, email, roles, clinic_ids, status,
            token_hash, invited_by, expires_at, accepted_at, staff_id, created_at, version)
          VALUES (inv.id, inv.tenant_id, inv.email, inv.roles, inv.clinic_ids, inv.status,
            inv.token_hash, inv.invited_by, inv.expires_at, inv.accepted_at, inv.staff_id,
            inv.created_at, inv.version);
      WHEN 'update_invitation' THEN
        inv := jsonb_populate_record(NULL::queue.invitations, step -> 'row');
        UPDATE queue.invitations i SET email = inv.email, roles = inv.roles,
            clinic_ids = inv.clinic_ids, status = inv.status, token_hash = inv.token_hash,
            invited_by = inv.invited_by, expires_at = inv.expires_at,
            accepted_at = inv.accepted_at, staff_id = inv.staff_id, version = inv.version
          WHERE i.id = inv.id AND i.tenant_id = inv.tenant_id AND i.version = inv.version - 1;
        GET DIAGNOSTICS changed = ROW_COUNT;
        IF changed <> 1 THEN
          RAISE EXCEPTION 'The invitation changed since it was read.' USING ERRCODE = 'PT409';
        END IF;
      WHEN 'insert_staff' THEN
        member := jsonb_populate_record(NULL::queue.staff, step -> 'row');
        INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids,
            active, created_at, updated_at, version)
          VALUES (member.id, member.tenant_id, member.user_id, member.display_name, member.email,
            member.roles, member.clinic_ids, member.active, member.created_at, member.updated_at,
            member.version);
      WHEN 'audit' THEN
        PERFORM audit.append_events(step -> 'events');
      ELSE
        RAISE EXCEPTION 'Unknown invitation work step.' USING ERRCODE = '22023';
      END CASE;
    END LOOP;
  END
  $fn$;

REVOKE ALL ON FUNCTION queue.replace_patient_clinics(uuid, uuid, uuid[], timestamptz),
  queue.insert_patient(jsonb), queue.update_patient(jsonb),
  queue.search_patients(uuid, jsonb, uuid, integer),
  queue.patients_by_national_id_index(uuid, text), queue.schedule_of(uuid, uuid, uuid),
  queue.save_schedule(jsonb), queue.invitation_by_token_hash(text),
  queue.commit_invitation_work(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.replace_patient_clinics(uuid, uuid, uuid[], timestamptz),
  queue.insert_patient(jsonb), queue.update_patient(jsonb),
  queue.search_patients(uuid, jsonb, uuid, integer),
  queue.patients_by_national_id_index(uuid, text), queue.schedule_of(uuid, uuid, uuid),
  queue.save_schedule(jsonb), queue.invitation_by_token_hash(text),
  queue.commit_invitation_work(jsonb) TO authenticated, service_role;
REVOKE ALL ON queue.patient_records FROM PUBLIC;
GRANT SELECT ON queue.patient_records TO authenticated, service_role;

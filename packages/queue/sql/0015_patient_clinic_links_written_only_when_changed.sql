-- A patient may read their clinic links but not write them. queue.replace_patient_clinics, which
-- queue.update_patient calls on every patient update, inserted every wanted link with ON CONFLICT
-- DO NOTHING, and row-level security checks the insert policy before the conflict is found: so a
-- patient's update of their own record through the Supabase adapters was refused even when the
-- clinics did not change. Only links that are missing are inserted now.
CREATE OR REPLACE FUNCTION queue.replace_patient_clinics(
  p_tenant uuid, p_patient uuid, p_clinic_ids uuid[], p_at timestamptz) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = ''
  AS $fn$
  BEGIN
    DELETE FROM queue.patient_clinics
      WHERE tenant_id = p_tenant AND patient_id = p_patient
        AND NOT (clinic_id = ANY (p_clinic_ids));
    INSERT INTO queue.patient_clinics (tenant_id, patient_id, clinic_id, created_at)
      SELECT p_tenant, p_patient, wanted.clinic_id, p_at
      FROM unnest(p_clinic_ids) AS wanted (clinic_id)
      WHERE NOT EXISTS (SELECT 1 FROM queue.patient_clinics linked
        WHERE linked.tenant_id = p_tenant AND linked.patient_id = p_patient
          AND linked.clinic_id = wanted.clinic_id)
      ON CONFLICT DO NOTHING;
  END
  $fn$;

-- A booking commits together with the idempotency key it answered, so a retry finds its first
-- answer even when the process died between the commit and the idempotency record. The key is
-- stored as a SHA-256 digest of the caller's scoped key (opaque, never the key as sent) with a
-- fingerprint of the request, and is unique per tenant. Postgres 15 compatible; runs unchanged
-- on PGlite and Supabase.

ALTER TABLE queue.appointments
  ADD COLUMN idempotency_key text CHECK (idempotency_key ~ '^[0-9a-f]{64}$'),
  ADD COLUMN idempotency_fingerprint text CHECK (idempotency_fingerprint ~ '^[0-9a-f]{64}$');

CREATE UNIQUE INDEX appointments_idempotency_key_idx ON queue.appointments
  (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- When a hold offered from the waitlist lapses, its entry must wait again. A patient booking over
-- another patient's lapsed hold cannot see that patient's waitlist entry under row-level
-- security, so this definer function does only that: it returns to `waiting` the offered entries
-- of the caller's tenant whose offered hold is among p_holds and was cancelled as lapsed, and
-- returns what it changed so the caller can audit it.
CREATE FUNCTION queue.reopen_lapsed_offers(p_tenant uuid, p_holds uuid[], p_now timestamptz)
  RETURNS TABLE (id uuid, patient_id uuid, version integer)
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    UPDATE queue.waitlist_entries w
    SET status = 'waiting', offered_appointment_id = NULL, updated_at = p_now,
      version = w.version + 1
    WHERE w.tenant_id = p_tenant
      AND (p_tenant = queue.claim_tenant(auth.jwt()) OR auth.jwt() ->> 'role' = 'service_role')
      AND w.status = 'offered' AND w.offered_appointment_id = ANY (p_holds)
      AND EXISTS (
        SELECT 1 FROM queue.appointments a
        WHERE a.tenant_id = p_tenant AND a.id = w.offered_appointment_id
          AND a.status = 'cancelled' AND a.cancellation_reason = 'hold-expired')
    RETURNING w.id, w.patient_id, w.version
  $fn$;

REVOKE ALL ON FUNCTION queue.reopen_lapsed_offers(uuid, uuid[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.reopen_lapsed_offers(uuid, uuid[], timestamptz)
  TO authenticated, service_role;

-- The rows that follow from a change (notifications, realtime topic sequences, queue events),
-- notification opt-outs and patients' own rows, as end users reach them directly. Until now any
-- member of a tenant (the database role authenticated with the tenant's claims) could, through
-- PostgREST:
--
-- * insert outbox rows, squatting the dedupe key of a notification the workers would send later
--   (so it never goes out) or filling the dispatcher with rows it can only dead-letter;
-- * set a realtime topic's sequence to any value, so subscribers of the topic think they missed
--   events or drop real ones as already seen;
-- * as clinic staff, insert queue events that never happened ("called" for an entry nobody
--   called, which the queue notification job turns into a text message) or take the next event
--   version so the real event fails, and move the line's event version;
-- * record opt-outs with any source (a carrier's STOP, the provider's refusal) and, as staff,
--   about any patient of the tenant;
-- * as a patient, update every column of their own patient row: un-erase it, backdate it, or
--   set their own erasure time.
--
-- Now: the outbox is written by workers only (the job handlers run as service_role; no service
-- enqueues under end-user claims). Topic sequences and queue events are written through definer
-- functions, which the services' transactions call under the actor's claims: for an end user
-- the sequence of a topic advances by one only where the caller may broadcast (migration 0012),
-- and an event must describe the entry as it now stands, its version taken from the line.
-- Opt-outs follow who may record them, and patients' rows keep what the patient service
-- keeps. Trusted callers (service_role, the owner: migration 0009) write as before.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.

-- Outbox: workers only.
REVOKE INSERT ON queue.notification_outbox FROM authenticated;
DROP POLICY notification_outbox_insert ON queue.notification_outbox;

-- Topic sequences: advanced by one, by those who may broadcast on the topic. The topics are the
-- realtime topics without the `carequeue:` prefix Supabase channels carry
-- (`tenant:<tenant>`, `queue:<tenant>:<queue>`), and name the tenant they are kept under.
CREATE FUNCTION queue.next_topic_sequence(p_tenant uuid, p_topic text) RETURNS bigint
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      next_sequence bigint;
    BEGIN
      IF NOT public.carequeue_trusted_caller() AND NOT coalesce(
          (SELECT s.tenant_id = p_tenant FROM queue.realtime_topic_scope('carequeue:' || p_topic) s)
            AND queue.realtime_may_broadcast('carequeue:' || p_topic), false) THEN
        PERFORM queue.refuse('topic sequence');
      END IF;
      INSERT INTO queue.realtime_topics AS t (tenant_id, topic, sequence) VALUES (p_tenant, p_topic, 1)
        ON CONFLICT (tenant_id, topic) DO UPDATE SET sequence = t.sequence + 1
        RETURNING t.sequence INTO next_sequence;
      RETURN next_sequence;
    END
  $fn$;

REVOKE INSERT, UPDATE ON queue.realtime_topics FROM authenticated;
DROP POLICY realtime_topics_insert ON queue.realtime_topics;
DROP POLICY realtime_topics_update ON queue.realtime_topics;

-- The status each event type leaves its entry in (core's QueueEventType).
CREATE FUNCTION queue.queue_event_leaves(p_type text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT CASE p_type
      WHEN 'checked_in' THEN 'waiting' WHEN 'triaged' THEN 'waiting' WHEN 'returned' THEN 'waiting'
      WHEN 'recalled' THEN 'waiting' WHEN 'called' THEN 'called' WHEN 'no_show' THEN 'no_show'
      WHEN 'away' THEN 'away' WHEN 'left' THEN 'left' WHEN 'cancelled' THEN 'cancelled'
      WHEN 'service_started' THEN 'in_service' WHEN 'completed' THEN 'completed'
      WHEN 'transferred' THEN 'transferred' END
  $fn$;

-- Appends events to one queue, numbered from the line's event version, which it advances (the
-- line row stays locked until commit, so versions become visible in commit order). p_events is a
-- JSON array of objects with the event columns but the tenant, queue and version. Returns the
-- events as stored. For an end user the line must be in the caller's reach and every event must
-- describe its entry of this queue as the entry now stands (clinic, status, version, and the
-- entry's last change as its time), follow the entry's previous event, and be the entry's only
-- event in the call.
CREATE FUNCTION queue.append_queue_events(p_tenant uuid, p_queue uuid, p_events jsonb)
  RETURNS SETOF queue.queue_events
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    DECLARE
      claims jsonb := auth.jwt();
      line queue.queue_lines;
      batch integer := jsonb_array_length(p_events);
    BEGIN
      UPDATE queue.queue_lines l SET version = l.version + batch
        WHERE l.tenant_id = p_tenant AND l.queue_id = p_queue
        RETURNING * INTO line;
      IF NOT FOUND THEN
        RETURN;
      END IF;
      IF NOT public.carequeue_trusted_caller() THEN
        IF (NOT coalesce(queue.staff_reaches(claims, line.tenant_id, line.clinic_id), false)
          OR (SELECT count(DISTINCT e.entry_id) FROM jsonb_to_recordset(p_events) AS e(entry_id uuid))
            <> batch
          OR EXISTS (
            SELECT 1 FROM jsonb_to_recordset(p_events) AS e(clinic_id uuid, entry_id uuid,
                type text, from_status text, to_status text, entry_version integer,
                occurred_at timestamptz)
            LEFT JOIN queue.queue_entries entry
              ON entry.tenant_id = p_tenant AND entry.id = e.entry_id AND entry.queue_id = p_queue
            LEFT JOIN LATERAL (
              SELECT previous.to_status, previous.entry_version FROM queue.queue_events previous
              WHERE previous.tenant_id = p_tenant AND previous.entry_id = e.entry_id
              ORDER BY previous.entry_version DESC LIMIT 1) last ON true
            WHERE (entry.id IS NULL
              OR e.clinic_id IS DISTINCT FROM entry.clinic_id
              OR e.to_status IS DISTINCT FROM entry.status
              OR e.entry_version IS DISTINCT FROM entry.version
              OR e.occurred_at IS DISTINCT FROM entry.updated_at
              OR e.to_status IS DISTINCT FROM queue.queue_event_leaves(e.type)
              OR (e.type = 'checked_in') <> (e.from_status IS NULL)
              OR (e.type = 'triaged' AND e.from_status <> 'waiting')
              OR (e.type NOT IN ('checked_in', 'triaged')
                AND NOT queue.queue_entry_transition_allowed(e.from_status, e.to_status))
              OR (last.entry_version IS NOT NULL AND (last.entry_version >= e.entry_version
                OR last.to_status IS DISTINCT FROM e.from_status))) IS NOT FALSE))
          IS NOT FALSE
        THEN
          PERFORM queue.refuse('queue event');
        END IF;
      END IF;
      RETURN QUERY
        INSERT INTO queue.queue_events AS stored (tenant_id, clinic_id, queue_id, entry_id, version,
            type, from_status, to_status, entry_version, occurred_at)
          SELECT p_tenant, e.clinic_id, p_queue, e.entry_id, line.version - batch + e.ord, e.type,
            e.from_status, e.to_status, e.entry_version, e.occurred_at
          FROM ROWS FROM (jsonb_to_recordset(p_events) AS (clinic_id uuid, entry_id uuid,
            type text, from_status text, to_status text, entry_version integer,
            occurred_at timestamptz)) WITH ORDINALITY AS e(clinic_id, entry_id, type, from_status,
            to_status, entry_version, occurred_at, ord)
        RETURNING stored.*;
    END
  $fn$;

REVOKE INSERT ON queue.queue_events FROM authenticated;
DROP POLICY queue_events_insert ON queue.queue_events;
-- The line's event version moves only with its events.
REVOKE UPDATE ON queue.queue_lines FROM authenticated;
GRANT UPDATE (last_ticket) ON queue.queue_lines TO authenticated;

-- Opt-outs: a patient records only their own, as the patient; staff record theirs as staff,
-- about no patient or a patient they reach (as the patient service lets them change the
-- patient: managers tenant-wide, clinic staff at a clinic the patient is registered at). A
-- carrier's STOP and the provider's refusal are recorded by workers.
DROP POLICY notification_opt_outs_insert ON queue.notification_opt_outs;
CREATE POLICY notification_opt_outs_insert ON queue.notification_opt_outs FOR INSERT TO authenticated
  WITH CHECK ((source = 'patient' AND queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id))
    OR (source = 'staff' AND (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
      OR (tenant_id = queue.claim_tenant((SELECT auth.jwt()))
        AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['clinician', 'receptionist'])
        AND (patient_id IS NULL OR EXISTS (
          SELECT 1 FROM queue.patient_clinics link
          WHERE link.tenant_id = notification_opt_outs.tenant_id
            AND link.patient_id = notification_opt_outs.patient_id
            AND link.clinic_id = ANY (queue.claim_clinics((SELECT auth.jwt())))))))));

-- Patients: what the patient service changes and nothing else. For an end user an update keeps
-- the row's id, tenant and creation time, moves the version on by one when it changes anything,
-- never touches an erased row (the service refuses to), and sets the erasure time only as an
-- owner of the tenant (the one role holding patient:erase). A patient may change the rest of
-- their own row, as the service lets them.
CREATE FUNCTION queue.check_patient_change() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $fn$
    BEGIN
      IF NOT public.carequeue_trusted_caller() AND (
        (NEW.id, NEW.tenant_id, NEW.created_at) IS DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.created_at)
        OR (NEW IS DISTINCT FROM OLD AND NEW.version IS DISTINCT FROM OLD.version + 1)
        OR OLD.erased_at IS NOT NULL
        OR (NEW.erased_at IS NOT NULL AND NOT (OLD.tenant_id = queue.claim_tenant(auth.jwt())
          AND queue.claim_has_role(auth.jwt(), ARRAY['owner'])))) IS NOT FALSE
      THEN
        PERFORM queue.refuse('patient change');
      END IF;
      RETURN NEW;
    END
  $fn$;

CREATE TRIGGER patients_checked_change BEFORE UPDATE ON queue.patients
  FOR EACH ROW EXECUTE FUNCTION queue.check_patient_change();

REVOKE ALL ON FUNCTION queue.next_topic_sequence(uuid, text), queue.queue_event_leaves(text),
  queue.append_queue_events(uuid, uuid, jsonb), queue.check_patient_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.next_topic_sequence(uuid, text), queue.queue_event_leaves(text),
  queue.append_queue_events(uuid, uuid, jsonb), queue.check_patient_change()
  TO authenticated, service_role;

-- Who may join and broadcast on CareQueue's Supabase Realtime channels. The adapter joins only
-- private channels (`carequeue:tenant:<tenant>` and `carequeue:queue:<tenant>:<queue>`), which
-- Realtime authorizes with the row-level security policies of `realtime.messages`: when a client
-- joins, Realtime inserts a probe row for the topic as its own admin, switches to the client's
-- role and claims with `realtime.topic()` set to the topic, and lets the join through only if the
-- SELECT policies show the row; a broadcast goes out only if the client's INSERT of such a row
-- passes the INSERT policies. Both are rolled back; nothing is stored. The `extension` column
-- names the feature (`broadcast` or `presence`); CareQueue uses broadcast only.
--
-- The topics are staff topics: every change of a tenant goes to its tenant topic, which only the
-- tenant's owners and admins may receive; a queue's changes go to its queue topic, which the
-- staff who reach the queue's clinic may receive (owners and admins of the tenant, clinicians and
-- receptionists of that clinic once the queue's line exists). Staff may broadcast where they may
-- receive, and any staff member of the tenant on its tenant topic, since every queue change is
-- published there too. Patients and anon may do neither: patients follow their place through the
-- server. Restrictive policies keep these rules in force even where the host has a broad policy
-- of its own on `realtime.messages` (the Supabase quick start suggests one).
--
-- Supabase has `realtime.messages` and `realtime.topic()` and refuses new objects in its schemas;
-- on plain Postgres and PGlite they are created here where missing, as core's bootstrap does for
-- `auth.jwt()`, with the columns and grants Realtime documents, so the same policies are what
-- the tests exercise. Postgres 15 compatible; runs unchanged on PGlite and Supabase.

DO $bootstrap$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'realtime') THEN
    CREATE SCHEMA realtime;
    GRANT USAGE ON SCHEMA realtime TO anon, authenticated, service_role;
  END IF;

  IF to_regclass('realtime.messages') IS NULL THEN
    CREATE TABLE realtime.messages (
      topic text NOT NULL,
      extension text NOT NULL,
      payload jsonb,
      event text,
      private boolean DEFAULT false,
      updated_at timestamp NOT NULL DEFAULT now(),
      inserted_at timestamp NOT NULL DEFAULT now(),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      PRIMARY KEY (id, inserted_at)
    );
    -- Enabled, not forced: the Realtime admin that inserts the join probes owns the table.
    ALTER TABLE realtime.messages ENABLE ROW LEVEL SECURITY;
    GRANT SELECT, INSERT, UPDATE ON realtime.messages TO anon, authenticated, service_role;
  END IF;

  IF NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'realtime' AND p.proname = 'topic'
  ) THEN
    CREATE FUNCTION realtime.topic() RETURNS text
      LANGUAGE sql STABLE
      AS $fn$ SELECT nullif(current_setting('realtime.topic', true), '') $fn$;
    GRANT EXECUTE ON FUNCTION realtime.topic() TO anon, authenticated, service_role;
  END IF;
END
$bootstrap$;

-- The tenant and queue a CareQueue topic names; no row for any other topic. Ids are matched as
-- lower-case uuids before the cast, so a malformed topic is refused instead of raising an error.
CREATE FUNCTION queue.realtime_topic_scope(p_topic text)
  RETURNS TABLE (tenant_id uuid, queue_id uuid)
  LANGUAGE sql IMMUTABLE
  AS $fn$
    SELECT coalesce(m.tenant_topic[1], m.queue_topic[1])::uuid, m.queue_topic[2]::uuid
    FROM (SELECT
        regexp_match(p_topic, '^carequeue:tenant:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$')
          AS tenant_topic,
        regexp_match(p_topic, '^carequeue:queue:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'
          || ':([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$') AS queue_topic) m
    WHERE m.tenant_topic IS NOT NULL OR m.queue_topic IS NOT NULL
  $fn$;

-- Definer functions: the queue line that ties a queue to its clinic is hidden by row-level
-- security from staff of other clinics, and the answer must not depend on it. They read the
-- caller's verified claims themselves and take nothing else from the caller but the topic.
CREATE FUNCTION queue.realtime_may_receive(p_topic text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
    SELECT coalesce((
      SELECT CASE
        WHEN s.queue_id IS NULL THEN queue.tenant_manager(c.claims, s.tenant_id)
        ELSE queue.tenant_manager(c.claims, s.tenant_id) OR EXISTS (
          SELECT 1 FROM queue.queue_lines l
          WHERE l.tenant_id = s.tenant_id AND l.queue_id = s.queue_id
            AND queue.staff_reaches(c.claims, l.tenant_id, l.clinic_id))
      END
      FROM queue.realtime_topic_scope(p_topic) s, (SELECT auth.jwt() AS claims) c
      WHERE c.claims IS NOT NULL), false)
  $fn$;

CREATE FUNCTION queue.realtime_may_broadcast(p_topic text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
    SELECT coalesce((
      SELECT CASE
        WHEN s.queue_id IS NULL THEN s.tenant_id = queue.claim_tenant(c.claims)
          AND queue.claim_has_role(c.claims, ARRAY['owner', 'admin', 'clinician', 'receptionist'])
        ELSE queue.realtime_may_receive(p_topic)
      END
      FROM queue.realtime_topic_scope(p_topic) s, (SELECT auth.jwt() AS claims) c
      WHERE c.claims IS NOT NULL), false)
  $fn$;

REVOKE ALL ON FUNCTION queue.realtime_topic_scope(text), queue.realtime_may_receive(text),
  queue.realtime_may_broadcast(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION queue.realtime_topic_scope(text), queue.realtime_may_receive(text),
  queue.realtime_may_broadcast(text) TO authenticated, service_role;

-- Permissive: what lets a member in. The sub-selects run once per statement.
CREATE POLICY carequeue_topics_receive ON realtime.messages FOR SELECT TO authenticated
  USING (extension = 'broadcast' AND (SELECT queue.realtime_may_receive(realtime.topic())));
CREATE POLICY carequeue_topics_broadcast ON realtime.messages FOR INSERT TO authenticated
  WITH CHECK (extension = 'broadcast' AND (SELECT queue.realtime_may_broadcast(realtime.topic())));

-- Restrictive: on a CareQueue topic nothing but the rules above lets anyone in, whatever other
-- permissive policy the host has. anon cannot call queue functions, so its guard only names the
-- topics it is kept out of.
CREATE POLICY carequeue_topics_receive_guard ON realtime.messages AS RESTRICTIVE FOR SELECT
  TO authenticated
  USING (coalesce((SELECT realtime.topic()), '') NOT LIKE 'carequeue:%'
    OR (extension = 'broadcast' AND (SELECT queue.realtime_may_receive(realtime.topic()))));
CREATE POLICY carequeue_topics_broadcast_guard ON realtime.messages AS RESTRICTIVE FOR INSERT
  TO authenticated
  WITH CHECK (coalesce((SELECT realtime.topic()), '') NOT LIKE 'carequeue:%'
    OR (extension = 'broadcast' AND (SELECT queue.realtime_may_broadcast(realtime.topic()))));
CREATE POLICY carequeue_topics_anon_guard ON realtime.messages AS RESTRICTIVE FOR ALL TO anon
  USING (coalesce((SELECT realtime.topic()), '') NOT LIKE 'carequeue:%')
  WITH CHECK (coalesce((SELECT realtime.topic()), '') NOT LIKE 'carequeue:%');

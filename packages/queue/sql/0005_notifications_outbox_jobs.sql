-- Notification outbox, opt-outs, the job scheduler and realtime topic sequences, with row-level
-- security enabled and forced on every table. Postgres 15 compatible; runs unchanged on PGlite.
--
-- Rows are written by request transactions (role authenticated, under the caller's claims) in the
-- same transaction as the change they belong to, and processed by workers as service_role, which
-- bypasses row-level security. Request roles may insert rows of their own tenant; only owners and
-- admins (and clinic staff for their clinics) may read them, and nobody but workers changes them.
-- Contact data never sits in a column in clear: the outbox payload is an encrypted envelope and
-- opt-outs are keyed by a keyed HMAC of the address.

CREATE TABLE queue.notification_outbox (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  clinic_id uuid,
  patient_id uuid,
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  payload_ciphertext text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'dead')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  available_at timestamptz NOT NULL,
  locked_by text,
  locked_until timestamptz,
  provider text,
  provider_message_id text,
  last_error_code text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX notification_outbox_due_idx ON queue.notification_outbox (available_at, id)
  WHERE status = 'pending';
CREATE INDEX notification_outbox_lease_idx ON queue.notification_outbox (locked_until, id)
  WHERE status = 'sending';
CREATE INDEX notification_outbox_tenant_idx ON queue.notification_outbox (tenant_id, created_at, id);

CREATE TABLE queue.notification_opt_outs (
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  address_index text NOT NULL CHECK (length(address_index) BETWEEN 1 AND 200),
  patient_id uuid,
  source text NOT NULL CHECK (source IN ('stop_keyword', 'provider', 'patient', 'staff')),
  opted_out_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, channel, address_index)
);

CREATE TABLE queue.jobs (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
  unique_key text NOT NULL CHECK (length(unique_key) BETWEEN 1 AND 200),
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'done', 'dead', 'cancelled')),
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
  last_error_code text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  UNIQUE (tenant_id, unique_key)
);
CREATE INDEX jobs_due_idx ON queue.jobs (run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_tenant_idx ON queue.jobs (tenant_id, kind, status, run_at);

CREATE TABLE queue.realtime_topics (
  tenant_id uuid NOT NULL REFERENCES queue.tenants (tenant_id),
  topic text NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
  sequence bigint NOT NULL CHECK (sequence >= 0),
  PRIMARY KEY (tenant_id, topic)
);

GRANT INSERT ON queue.notification_outbox, queue.jobs TO authenticated;
GRANT SELECT ON queue.notification_outbox, queue.jobs TO authenticated;
GRANT SELECT, INSERT ON queue.notification_opt_outs TO authenticated;
GRANT SELECT, INSERT, UPDATE ON queue.realtime_topics TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON queue.notification_outbox, queue.notification_opt_outs,
  queue.jobs, queue.realtime_topics TO service_role;

ALTER TABLE queue.notification_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.notification_outbox FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.notification_opt_outs ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.notification_opt_outs FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.jobs FORCE ROW LEVEL SECURITY;
ALTER TABLE queue.realtime_topics ENABLE ROW LEVEL SECURITY;
ALTER TABLE queue.realtime_topics FORCE ROW LEVEL SECURITY;

-- Any member of the tenant may cause a notification (a patient booking gets a confirmation), but
-- only staff of the clinic read the delivery state; patients never read the outbox.
CREATE POLICY notification_outbox_insert ON queue.notification_outbox FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_member((SELECT auth.jwt()), tenant_id));
CREATE POLICY notification_outbox_read ON queue.notification_outbox FOR SELECT TO authenticated
  USING (queue.staff_reaches((SELECT auth.jwt()), tenant_id, clinic_id)
    OR queue.tenant_manager((SELECT auth.jwt()), tenant_id));

-- A patient records and sees only their own opt-outs; staff record and see their tenant's.
CREATE POLICY notification_opt_outs_insert ON queue.notification_opt_outs FOR INSERT TO authenticated
  WITH CHECK ((tenant_id = queue.claim_tenant((SELECT auth.jwt()))
      AND queue.claim_has_role((SELECT auth.jwt()), ARRAY['owner', 'admin', 'clinician', 'receptionist']))
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));
CREATE POLICY notification_opt_outs_read ON queue.notification_opt_outs FOR SELECT TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id)
    OR queue.own_patient((SELECT auth.jwt()), tenant_id, patient_id));

CREATE POLICY jobs_insert ON queue.jobs FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_member((SELECT auth.jwt()), tenant_id));
CREATE POLICY jobs_read ON queue.jobs FOR SELECT TO authenticated
  USING (queue.tenant_manager((SELECT auth.jwt()), tenant_id));

-- Topic sequences hold ids and counters only; every member of the tenant advances them when a
-- change it makes is published, and reads them to resynchronise.
CREATE POLICY realtime_topics_read ON queue.realtime_topics FOR SELECT TO authenticated
  USING (queue.tenant_member((SELECT auth.jwt()), tenant_id));
CREATE POLICY realtime_topics_insert ON queue.realtime_topics FOR INSERT TO authenticated
  WITH CHECK (queue.tenant_member((SELECT auth.jwt()), tenant_id));
CREATE POLICY realtime_topics_update ON queue.realtime_topics FOR UPDATE TO authenticated
  USING (queue.tenant_member((SELECT auth.jwt()), tenant_id))
  WITH CHECK (queue.tenant_member((SELECT auth.jwt()), tenant_id));

-- Reading the trail through PostgREST (the Supabase store): one view joins each event with its
-- chain row and exposes the sort keys the SQL store orders by, so PostgREST's `order` and
-- keyset filters sort exactly as `postgresAuditStore` does. Postgres 15 compatible.

CREATE VIEW audit.trail WITH (security_invoker = true) AS
  SELECT e.id, e.tenant_id, e.user_id, e.category, e.action, e.resource_type, e.resource_id,
    e.patient_id, e.outcome, e.old_value, e.new_value, e.changed_fields, e.ip_address,
    e.user_agent, e."timestamp", e.metadata, e.purpose_of_use, e.recipient, e.disclosure_basis,
    e.session_id, e.correlation_id, e.data_categories, e.retention_class,
    c.sequence, c.payload_hash, c.previous_hash,
    -- Unsealed events sort last, as in the other stores.
    coalesce(c.sequence, 9007199254740991) AS sequence_key,
    coalesce(e.user_id, '') COLLATE "C" AS user_id_key,
    e.category COLLATE "C" AS category_key,
    e.action COLLATE "C" AS action_key,
    e.outcome COLLATE "C" AS outcome_key,
    e.resource_type COLLATE "C" AS resource_type_key,
    coalesce(e.resource_id, '') COLLATE "C" AS resource_id_key,
    coalesce(e.patient_id, '') COLLATE "C" AS patient_id_key,
    coalesce(e.purpose_of_use, '') COLLATE "C" AS purpose_of_use_key,
    coalesce(e.recipient, '') COLLATE "C" AS recipient_key,
    coalesce(e.disclosure_basis, '') COLLATE "C" AS disclosure_basis_key,
    coalesce(e.session_id, '') COLLATE "C" AS session_id_key,
    coalesce(e.correlation_id, '') COLLATE "C" AS correlation_id_key,
    coalesce(e.ip_address, '') COLLATE "C" AS ip_address_key,
    e.retention_class COLLATE "C" AS retention_class_key
  FROM audit.events e
  LEFT JOIN audit.chain c ON c.event_id = e.id;

REVOKE ALL ON audit.trail FROM PUBLIC;
GRANT SELECT ON audit.trail TO authenticated, service_role;

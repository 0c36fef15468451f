-- The canonical form (docs/chain.md) rendered straight to text. jsonb_build_array built a jsonb
-- value and then printed it; json_build_array prints each element as it goes, with the same
-- separators, the same string escaping and the same printing of the embedded jsonb values, so
-- the text, and every hash over it, is unchanged. Sealing renders every pending event, so this is
-- about a quarter of a seal's time saved. Postgres 15 compatible.

CREATE OR REPLACE FUNCTION audit.canonical_form(e audit.events, previous_hash text) RETURNS text
  LANGUAGE sql STABLE
  AS $fn$
  SELECT json_build_array(
    'cq-audit-v1'::text, previous_hash, e.tenant_id::text, e.id::text,
    to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.user_id, e.category, e.action, e.outcome, e.resource_type, e.resource_id, e.patient_id,
    e.old_value, e.new_value, to_jsonb(e.changed_fields), e.ip_address, e.user_agent, e.metadata,
    e.purpose_of_use, e.recipient, e.disclosure_basis, e.session_id, e.correlation_id,
    to_jsonb(e.data_categories), e.retention_class
  )::text
$fn$;

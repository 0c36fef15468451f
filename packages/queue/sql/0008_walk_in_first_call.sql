-- The instant a queue entry was first called. called_at moves with every recall, so a wait
-- measured from it ran until the last call; analytics measure check-in to first call from this
-- column instead (see ADR 0008). Postgres 15 compatible; runs unchanged on PGlite and Supabase.
ALTER TABLE queue.queue_entries ADD COLUMN first_called_at timestamptz;

-- Entries called before this migration: the first 'called' event of the entry, else the call
-- time they carry.
UPDATE queue.queue_entries entry
SET first_called_at = COALESCE(
  (SELECT min(event.occurred_at) FROM queue.queue_events event
   WHERE event.tenant_id = entry.tenant_id AND event.entry_id = entry.id AND event.type = 'called'),
  entry.called_at)
WHERE entry.called_at IS NOT NULL;

ALTER TABLE queue.queue_entries ADD CONSTRAINT queue_entries_first_call_check
  CHECK (first_called_at <= called_at);

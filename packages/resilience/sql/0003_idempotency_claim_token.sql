-- Fencing of idempotency claims. Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- Each claim stores a random token, returned to the request that holds the key. Storing the
-- response and releasing the key check it in the same statement, so a request whose claim
-- expired and was taken over by another request cannot overwrite or delete the new holder's row.
-- Completed rows keep no token. Rows claimed before this migration have none either: their
-- holder can no longer complete them, and they are claimed again once they expire.

ALTER TABLE resilience.idempotency_keys ADD COLUMN claim_token text;

-- Opening hours of a clinic: a JSON array of weekly hours (day, start, end, breaks) in the
-- clinic's own time zone. Clinics stored before this column existed open on no day.
ALTER TABLE queue.clinics ADD COLUMN opening_hours jsonb NOT NULL DEFAULT '[]'::jsonb;

-- One SQL clock for code an end-user role can call directly (Supabase exposes definer functions
-- and tables to signed-in users), and the test of who the caller really is.
-- Postgres 15 compatible; runs unchanged on PGlite and Supabase.
--
-- public.carequeue_now() is the database's time unless the clock override below holds a frozen
-- instant. The override is a row, not a setting: any role may SET or set_config a custom
-- setting, but only the owner (the migrating role) and service_role may write this table, which
-- sits in the owner's private schema with no privilege for anon or authenticated. Tests freeze
-- the clock there; production leaves it empty.
--
-- public.carequeue_trusted_caller() judges the caller by the database role the statement really
-- runs as (SET ROLE, which PostgREST and withClaims issue from the verified token), never by the
-- role claim inside request.jwt.claims, which is only data. Inside a SECURITY DEFINER function
-- current_user is the function's owner, but the `role` setting still names the caller's role.

CREATE TABLE carequeue.sql_clock (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  frozen_at timestamptz NOT NULL
);

-- Enabled without policies: the owner (not forced) and service_role (BYPASSRLS) reach the row,
-- and any other role that a future default privilege might grant the table still sees nothing.
ALTER TABLE carequeue.sql_clock ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON carequeue.sql_clock FROM PUBLIC, anon, authenticated;
GRANT USAGE ON SCHEMA carequeue TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON carequeue.sql_clock TO service_role;

-- Definer: callers read the override through it without any privilege on the table.
CREATE FUNCTION public.carequeue_now() RETURNS timestamptz
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$ SELECT coalesce((SELECT c.frozen_at FROM carequeue.sql_clock c WHERE c.singleton), now()) $fn$;

-- True when the statement runs as service_role or as a role with the owner's privileges (the
-- migrating role, a superuser). A definer, so current_user below is the owner of this function.
-- The `role` setting is 'none' when no SET ROLE is in force: then the caller is the session user.
CREATE FUNCTION public.carequeue_trusted_caller() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$
    SELECT caller = 'service_role' OR pg_has_role(caller, current_user, 'MEMBER')
    FROM (SELECT CASE current_setting('role')
                   WHEN 'none' THEN session_user::text
                   ELSE current_setting('role') END AS caller) AS real_role
  $fn$;

-- The instant a function acts at: the time its caller asked for when the caller is trusted and
-- asked for one (workers pass their clock), else the SQL clock. An end user never picks it.
CREATE FUNCTION public.carequeue_caller_time(p_requested timestamptz) RETURNS timestamptz
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  AS $fn$
    SELECT CASE WHEN p_requested IS NOT NULL AND public.carequeue_trusted_caller()
      THEN p_requested ELSE public.carequeue_now() END
  $fn$;

REVOKE ALL ON FUNCTION public.carequeue_now(), public.carequeue_trusted_caller(),
  public.carequeue_caller_time(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.carequeue_now(), public.carequeue_trusted_caller(),
  public.carequeue_caller_time(timestamptz) TO anon, authenticated, service_role;

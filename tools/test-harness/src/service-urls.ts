/** The Postgres server integration tests use when `CAREQUEUE_PG_URL` is unset. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The Redis server integration tests use when `CAREQUEUE_REDIS_URL` is unset. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The URL of the shared Postgres server: `CAREQUEUE_PG_URL`, or the local default.
 *
 * The URL must name a database the harness may connect to for administration (creating and
 * dropping test databases); `postgres` is the usual choice.
 *
 * @default 'postgres://postgres@127.0.0.1:5432/postgres'
 * @example
 * ```ts
 * const adminUrl = postgresUrl(); // 'postgres://postgres@127.0.0.1:5432/postgres'
 * ```
 */
export function postgresUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.CAREQUEUE_PG_URL || DEFAULT_POSTGRES_URL;
}

/**
 * The URL of the shared Redis server: `CAREQUEUE_REDIS_URL`, or the local default.
 *
 * @default 'redis://127.0.0.1:6379'
 * @example
 * ```ts
 * const url = redisUrl(); // 'redis://127.0.0.1:6379'
 * ```
 */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.CAREQUEUE_REDIS_URL || DEFAULT_REDIS_URL;
}

/**
 * Whether absent services fail the run instead of skipping tests: true when
 * `CAREQUEUE_REQUIRE_SERVICES` is set to anything but an empty string, `0` or `false`.
 *
 * @example
 * ```ts
 * servicesRequired({ CAREQUEUE_REQUIRE_SERVICES: '1' }); // true
 * servicesRequired({}); // false
 * ```
 */
export function servicesRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CAREQUEUE_REQUIRE_SERVICES?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Replaces the password of a connection URL with `***`, so URLs can be printed.
 *
 * @example
 * ```ts
 * redactUrl('postgres://app:secret@db:5432/app'); // 'postgres://app:***@db:5432/app'
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

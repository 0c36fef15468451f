import { TestServiceUnavailableError } from './errors.js';
import { probePostgres, probeRedis } from './probe.js';
import { postgresUrl, redactUrl, redisUrl, servicesRequired } from './service-urls.js';

/** Whether a service integration tests need is reachable. */
export interface ServiceAvailability {
  /** Human name of the service, such as `Postgres`. */
  readonly service: string;
  /** The URL probed (with its password redacted). */
  readonly url: string;
  /** True when the service answered the probe. */
  readonly available: boolean;
  /** Why the service is considered absent; undefined when it is available. */
  readonly reason?: string;
}

/** Options of {@link requirePostgres} and {@link requireRedis}. */
export interface RequireServiceOptions {
  /**
   * Environment to read the URL and `CAREQUEUE_REQUIRE_SERVICES` from.
   *
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the skip notice goes. @default console.warn */
  readonly warn?: (message: string) => void;
}

interface ServiceSpec {
  readonly service: string;
  readonly url: string;
  readonly envVar: string;
  readonly howToStart: string;
  readonly probe: (url: string) => Promise<Error | undefined>;
}

/**
 * Probes the shared Postgres server (`CAREQUEUE_PG_URL`) for an integration test file.
 *
 * When the server is absent it prints why and how to start it, and returns
 * `available: false` so the file can skip with `describe.skipIf`. When
 * `CAREQUEUE_REQUIRE_SERVICES` is set it throws instead, so CI fails.
 *
 * @throws {TestServiceUnavailableError} when Postgres is absent and services are required.
 * @example
 * ```ts
 * const postgres = await requirePostgres();
 *
 * describe.skipIf(!postgres.available)('postgresAuditStore', () => {
 *   const db = useTestDatabase();
 *   it('stores an event when appended', async () => {
 *     await db.pool.query('SELECT 1');
 *   });
 * });
 * ```
 */
export function requirePostgres(options: RequireServiceOptions = {}): Promise<ServiceAvailability> {
  const env = options.env ?? process.env;
  return requireService(
    {
      service: 'Postgres',
      url: postgresUrl(env),
      envVar: 'CAREQUEUE_PG_URL',
      howToStart:
        'start one with `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`',
      probe: probePostgres,
    },
    env,
    options.warn,
  );
}

/**
 * Probes the shared Redis server (`CAREQUEUE_REDIS_URL`) for an integration test file.
 *
 * Behaves like {@link requirePostgres}: prints a notice and returns `available: false` when
 * Redis is absent, or throws when `CAREQUEUE_REQUIRE_SERVICES` is set.
 *
 * @throws {TestServiceUnavailableError} when Redis is absent and services are required.
 * @example
 * ```ts
 * const redis = await requireRedis();
 *
 * describe.skipIf(!redis.available)('redisCacheStore', () => {
 *   const keys = useTestRedis();
 *   it('reads back a value when it was set', async () => {
 *     const client = keys.client();
 *     await client.set(`${keys.prefix}a`, '1');
 *     expect(await client.get(`${keys.prefix}a`)).toBe('1');
 *   });
 * });
 * ```
 */
export function requireRedis(options: RequireServiceOptions = {}): Promise<ServiceAvailability> {
  const env = options.env ?? process.env;
  return requireService(
    {
      service: 'Redis',
      url: redisUrl(env),
      envVar: 'CAREQUEUE_REDIS_URL',
      howToStart: 'start one with `redis-server` or `docker run -d -p 6379:6379 redis:7`',
      probe: probeRedis,
    },
    env,
    options.warn,
  );
}

async function requireService(
  spec: ServiceSpec,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void = (message) => console.warn(message),
): Promise<ServiceAvailability> {
  const url = redactUrl(spec.url);
  const failure = await spec.probe(spec.url);
  if (failure === undefined) return { service: spec.service, url, available: true };

  const reason = `${spec.service} is not reachable at ${url} (${failure.message})`;
  const remedy = `${spec.howToStart}, or set ${spec.envVar} to a running server`;
  if (servicesRequired(env)) {
    throw new TestServiceUnavailableError(
      `${reason}. CAREQUEUE_REQUIRE_SERVICES is set, so integration tests fail instead of skipping: ${remedy}.`,
      { cause: failure },
    );
  }
  warn(
    `[carequeue test-harness] Skipping ${spec.service} integration tests: ${reason}. ` +
      `To run them, ${remedy}. Set CAREQUEUE_REQUIRE_SERVICES=1 to fail instead of skipping.`,
  );
  return { service: spec.service, url, available: false, reason };
}

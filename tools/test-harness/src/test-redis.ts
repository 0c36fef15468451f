import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { FixtureNotReadyError } from './errors.js';
import { redisUrl } from './service-urls.js';

/** A Redis key prefix of its own on the shared server, with a factory for clients. */
export interface TestRedis {
  /** The Redis URL clients connect to. */
  readonly url: string;
  /** The prefix every key of this fixture must start with: `cq:t:<random>:`. */
  readonly prefix: string;
  /** `name` under the prefix. */
  key(name: string): string;
  /**
   * A new ioredis client on the server, quit by the harness. Pass `{ keyPrefix: prefix }` to
   * have ioredis add the prefix to every key.
   */
  client(options?: RedisOptions): Redis;
}

/** A {@link TestRedis} the caller cleans up itself. */
export interface OwnedTestRedis extends TestRedis {
  /** Deletes every key under the prefix (with SCAN, never KEYS) and quits the clients. */
  cleanup(): Promise<void>;
}

/** Options of {@link createTestRedis} and {@link useTestRedis}. */
export interface TestRedisOptions {
  /** The server to use. @default CAREQUEUE_REDIS_URL */
  readonly url?: string;
}

const SCAN_BATCH = 500;

/**
 * Creates a unique key prefix on the shared Redis; the caller cleans it up.
 *
 * Prefer {@link useTestRedis} in test files; use this when a test needs several prefixes.
 *
 * @example
 * ```ts
 * const redis = createTestRedis();
 * try {
 *   await redis.client().set(redis.key('greeting'), 'hello');
 * } finally {
 *   await redis.cleanup();
 * }
 * ```
 */
export function createTestRedis(options: TestRedisOptions = {}): OwnedTestRedis {
  const url = options.url ?? redisUrl();
  const prefix = `cq:t:${randomBytes(6).toString('hex')}:`;
  const clients = new Set<Redis>();
  return {
    url,
    prefix,
    key: (name) => `${prefix}${name}`,
    client(clientOptions = {}) {
      const client = new Redis(url, { maxRetriesPerRequest: 1, ...clientOptions });
      // A client of a stopped server reports errors to its commands; the event must not crash.
      client.on('error', () => undefined);
      clients.add(client);
      return client;
    },
    async cleanup() {
      const cleaner = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeysWithPrefix(cleaner, prefix);
      } finally {
        cleaner.disconnect();
        await Promise.all([...clients].map((client) => client.quit().catch(() => undefined)));
        clients.clear();
      }
    },
  };
}

/**
 * Gives the current test file (or `describe` block) its own Redis key prefix on the shared
 * server. In `afterAll` the keys under the prefix are deleted and the clients made by
 * `client()` are quit.
 *
 * @throws {FixtureNotReadyError} when a property is read before `beforeAll` ran.
 * @example
 * ```ts
 * const redis = await requireRedis();
 *
 * describe.skipIf(!redis.available)('redisRateLimitStore', () => {
 *   const keys = useTestRedis();
 *
 *   it('counts a hit when one is recorded', async () => {
 *     const client = keys.client();
 *     expect(await client.incr(keys.key('hits'))).toBe(1);
 *   });
 * });
 * ```
 */
export function useTestRedis(options: TestRedisOptions = {}): TestRedis {
  let fixture: OwnedTestRedis | undefined;
  beforeAll(() => {
    fixture = createTestRedis(options);
  });
  afterAll(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  const ready = (): OwnedTestRedis => {
    if (!fixture) throw new FixtureNotReadyError('useTestRedis()');
    return fixture;
  };
  return {
    get url() {
      return ready().url;
    },
    get prefix() {
      return ready().prefix;
    },
    key: (name) => ready().key(name),
    client: (clientOptions) => ready().client(clientOptions),
  };
}

/**
 * Deletes every key starting with `prefix`, walking the keyspace with SCAN.
 *
 * @returns how many keys were deleted.
 * @example
 * ```ts
 * await deleteKeysWithPrefix(client, 'cq:t:9c0e1f2a3b4c:'); // 12
 * ```
 */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

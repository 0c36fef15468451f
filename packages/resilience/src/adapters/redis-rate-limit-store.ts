import type { Cluster, Redis } from 'ioredis';
import { optionsObject } from '../config/options-object.js';
import { ResilienceStoreError } from '../errors.js';
import type { RateLimitResult, RateLimitStore } from '../rate-limit/rate-limit-store.js';
import { RATE_LIMIT_SCRIPT } from './redis-rate-limit-script.js';

/**
 * Options of {@link redisRateLimitStore}.
 *
 * @example
 * ```ts
 * const options: RedisRateLimitStoreOptions = { client: new Redis(process.env.REDIS_URL) };
 * ```
 */
export interface RedisRateLimitStoreOptions {
  /**
   * An ioredis client. For Redis Cluster, give the limiter a `prefix` with a hash tag
   * (`'{rl}:'`) so the buckets of one decision share a slot.
   */
  readonly client: Redis | Cluster;
}

type ScriptReply = [number, number, number, number, number];

interface ScriptedClient {
  cqRateLimit(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<ScriptReply>;
}

function scripted(client: Redis | Cluster): ScriptedClient {
  if ((client as unknown as Partial<ScriptedClient>).cqRateLimit === undefined) {
    client.defineCommand('cqRateLimit', { lua: RATE_LIMIT_SCRIPT });
  }
  return client as unknown as ScriptedClient;
}

function toResult(reply: ScriptReply): RateLimitResult {
  const [allowed, remaining, limit, resetMs, retryAfterMs] = reply;
  return { allowed: allowed === 1, remaining, limit, resetMs, retryAfterMs };
}

function toStoreError(error: unknown): never {
  throw new ResilienceStoreError('redis', 'rate-limit consume', { cause: error });
}

/**
 * A {@link RateLimitStore} on Redis: one Lua script call per decision checks every bucket
 * (the caller's and the endpoint's) and spends from all or none, using Redis server time
 * unless the request carries `now`. Each bucket is one string key holding its packed state, kept
 * alive at least until the bucket would be full again; the script is sent by its SHA (EVALSHA)
 * and formats no numbers, so a decision costs Redis a few microseconds.
 *
 * @throws `ResilienceStoreError` (`[resilience:redis]`, the driver error as cause) when the call fails.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRateLimiter } from '@carequeue/resilience';
 * import { redisRateLimitStore } from '@carequeue/resilience/redis';
 *
 * const client = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * const limiter = createRateLimiter({ windowMs: 60_000, max: 100, store: redisRateLimitStore({ client }) });
 * ```
 */
export function redisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  optionsObject('redisRateLimitStore options', options);
  const client = scripted(optionsObject('redisRateLimitStore options.client', options.client));
  return {
    consume(request) {
      const { buckets } = request;
      const args: (string | number)[] = [];
      for (const bucket of buckets) args.push(bucket.key);
      args.push(request.cost, request.now ?? '');
      for (const bucket of buckets) args.push(bucket.capacity, bucket.refillMs);
      // Settled through then() rather than an async wrapper: one promise less per decision.
      return client.cqRateLimit(buckets.length, ...args).then(toResult, toStoreError);
    },
  };
}

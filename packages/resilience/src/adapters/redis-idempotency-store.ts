import { randomUUID } from 'node:crypto';
import type { FieldContext, FieldEncryptor } from '@carequeue/core/crypto';
import type { Cluster, Redis } from 'ioredis';
import { optionsObject } from '../config/options-object.js';
import { IdempotencyClaimLostError, ResilienceStoreError } from '../errors.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';

/**
 * Options of {@link redisIdempotencyStore}.
 *
 * @example
 * ```ts
 * const options: RedisIdempotencyStoreOptions = { client, encryptor, prefix: 'cq:idem:' };
 * ```
 */
export interface RedisIdempotencyStoreOptions {
  readonly client: Redis | Cluster;
  /**
   * Encrypts stored responses (core's field encryptor, as for the Postgres store), bound to the
   * table `redis:idempotency`, column `response` and the key without its prefix. A response can
   * hold patient data (a booking's patient, clinic and time), so it never rests in clear.
   */
  readonly encryptor: FieldEncryptor;
  /** Prefix of every key. @default 'cq:idem:' */
  readonly prefix?: string;
}

interface StoredRecord {
  /** Fencing token of a pending claim; written first, so a script can compare the prefix. */
  readonly t?: string;
  /** Payload fingerprint. */
  readonly f: string;
  /** Stored response of a completed request, encrypted by the field encryptor. */
  readonly r?: string;
}

// A claim may be completed or released by its holder, or when nothing holds the key (it
// expired). A claim record is JSON starting with its token (`{"t":"<token>",`) and a completed
// record has no token, so comparing that prefix identifies the holder without decoding JSON.
// KEYS[1] the key; ARGV[1] the holder's record prefix; ARGV[2] the completed record (empty to
// release); ARGV[3] its time to live in ms. Returns 1 when done, 0 when another claim or a
// stored response holds the key.
const FENCED_WRITE_SCRIPT = `local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, #ARGV[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  if current then redis.call('DEL', KEYS[1]) end
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`;

type FencedClient = (Redis | Cluster) & {
  carequeueIdempotencyWrite(
    key: string,
    holder: string,
    completed: string,
    ttlMs: number,
  ): Promise<number>;
};

function withFencedWrite(client: Redis | Cluster): FencedClient {
  const fenced = client as FencedClient;
  if (typeof fenced.carequeueIdempotencyWrite !== 'function') {
    // defineCommand sends EVALSHA and loads the script on the first NOSCRIPT.
    client.defineCommand('carequeueIdempotencyWrite', {
      numberOfKeys: 1,
      lua: FENCED_WRITE_SCRIPT,
    });
  }
  return fenced;
}

function holderPrefix(token: string): string {
  return `{"t":${JSON.stringify(token)},`;
}

async function command<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    throw new ResilienceStoreError('redis', operation, { cause: error });
  }
}

function responseField(key: string): FieldContext {
  return { table: 'redis:idempotency', column: 'response', rowId: key };
}

/**
 * An {@link IdempotencyStore} on Redis: a claim is one `SET NX GET` (Redis 7), so exactly one of
 * several concurrent claims wins and the others read the record in the same round trip. The
 * claim record starts with a random fencing token; `complete` and `release` run one script
 * (EVALSHA) that writes only while the key still holds that token's claim (or nothing).
 * Responses are encrypted with core's field encryptor before they reach Redis, bound to their
 * key, so a response copied to another key, altered, or stored in clear is refused.
 *
 * @throws `ResilienceConfigError` when `client` or `encryptor` is missing.
 * @throws `ResilienceStoreError` (`[resilience:redis]`, the cause attached) when a command fails
 * or a stored response does not decrypt.
 * @throws `IdempotencyClaimLostError` from `complete` and `release` when another claim took the key over.
 * @example
 * ```ts
 * import { redisIdempotencyStore } from '@carequeue/resilience/redis';
 *
 * const idempotency = createIdempotency({ store: redisIdempotencyStore({ client, encryptor }) });
 * ```
 */
export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  optionsObject('redisIdempotencyStore options', options);
  optionsObject('redisIdempotencyStore options.client', options.client);
  const encryptor = optionsObject('redisIdempotencyStore options.encryptor', options.encryptor);
  const client = withFencedWrite(options.client);
  const prefix = options.prefix ?? 'cq:idem:';
  async function fencedWrite(
    operation: string,
    key: string,
    token: string,
    completed: string,
    ttlMs: number,
  ): Promise<void> {
    const done = await command(operation, () =>
      client.carequeueIdempotencyWrite(`${prefix}${key}`, holderPrefix(token), completed, ttlMs),
    );
    if (done !== 1) throw new IdempotencyClaimLostError();
  }

  return {
    async claim(key, fingerprint, lockTtlMs) {
      const token = randomUUID();
      const claimed: StoredRecord = { t: token, f: fingerprint };
      const record = JSON.stringify(claimed);
      const previous = await command('idempotency claim', () =>
        client.call('SET', `${prefix}${key}`, record, 'PX', lockTtlMs, 'NX', 'GET'),
      );
      if (typeof previous !== 'string') return { status: 'claimed', token };
      const stored = JSON.parse(previous) as StoredRecord;
      const sealed = stored.r;
      if (sealed === undefined) return { status: 'pending', fingerprint: stored.f };
      const response = await command('idempotency response decrypt', () =>
        encryptor.decrypt(sealed, responseField(key)),
      );
      return { status: 'completed', fingerprint: stored.f, response };
    },
    async complete(key, token, fingerprint, response, ttlMs) {
      const sealed = await command('idempotency response encrypt', () =>
        encryptor.encrypt(response, responseField(key)),
      );
      const completed: StoredRecord = { f: fingerprint, r: sealed };
      await fencedWrite('idempotency complete', key, token, JSON.stringify(completed), ttlMs);
    },
    async release(key, token) {
      await fencedWrite('idempotency release', key, token, '', 0);
    },
  };
}

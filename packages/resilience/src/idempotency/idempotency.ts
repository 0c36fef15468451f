import { createHash } from 'node:crypto';
import { systemClock, ValidationError, type Clock } from '@carequeue/core';
import { functionIssues, textIssues, throwIfInvalid } from '../call-arguments.js';
import { positiveNumberOption } from '../config/number-option.js';
import { optionsObject } from '../config/options-object.js';
import { timerDurationMs } from '../config/timer-duration.js';
import {
  IdempotencyClaimLostError,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
} from '../errors.js';
import type { IdempotencyStore } from './idempotency-store.js';

const OPTION = 'createIdempotency options.';

/** The longest key (the Postgres store's check constraint). */
const MAX_KEY_LENGTH = 512;

/** How deeply a payload may nest; request bodies are far shallower. */
const MAX_PAYLOAD_DEPTH = 64;

function unfingerprintable(): ValidationError {
  return new ValidationError(
    'The idempotency payload cannot be fingerprinted. Pass JSON data: no cycles, no BigInt, at most 64 levels deep.',
    [
      {
        path: 'payload',
        message: 'must be JSON data without cycles or BigInts, at most 64 levels deep',
      },
    ],
  );
}

/**
 * Options of {@link createIdempotency}.
 *
 * @example
 * ```ts
 * const options: IdempotencyOptions = { store, ttlMs: 24 * 3_600_000, waitMs: 10_000 };
 * ```
 */
export interface IdempotencyOptions {
  readonly store: IdempotencyStore;
  /** How long a response is kept for replays. @default 86_400_000 (24 h) */
  readonly ttlMs?: number;
  /** How long a claim holds while the first request runs (a crashed holder frees the key after it). @default 60_000 */
  readonly lockTtlMs?: number;
  /** How long a duplicate waits for the first request's response. @default 10_000 */
  readonly waitMs?: number;
  /** How often a waiting duplicate looks for the response. @default 25 */
  readonly pollMs?: number;
  /** Time source for waiting. @default systemClock */
  readonly clock?: Clock;
}

/**
 * Runs operations at most once per idempotency key. See {@link createIdempotency}.
 *
 * @example
 * ```ts
 * const booking = await idempotency.run(`${tenantId}:${key}`, body, () => bookings.create(body));
 * ```
 */
export interface Idempotency {
  /**
   * Runs `operation` for the first request with `key` and stores its JSON response; a later
   * request with the same key and payload gets that response without running it again.
   *
   * @throws {@link IdempotencyKeyReusedError} when the key was used with a different payload.
   * @throws {@link IdempotencyInProgressError} when the first request is still running after `waitMs`.
   * @throws {@link IdempotencyClaimLostError} when the operation outlasted `lockTtlMs` and another
   * request claimed the key meanwhile: the response is not stored, so the other request's is kept.
   * @throws `ValidationError` naming the argument, before the store is called, when `key` is not a
   * string of 1 to 512 characters without NUL characters or unpaired surrogates, `operation` is
   * not a function, or `payload` is not JSON data (a cycle, a BigInt, deeper than 64 levels).
   */
  run<T>(key: string, payload: unknown, operation: () => Promise<T>): Promise<T>;
}

/** `value` with object keys sorted; `ancestors` are the objects it is nested in, to find cycles. */
function canonical(value: unknown, ancestors: object[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value) || ancestors.length >= MAX_PAYLOAD_DEPTH) {
    throw unfingerprintable();
  }
  ancestors.push(value);
  const result = Array.isArray(value)
    ? value.map((item) => canonical(item, ancestors))
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, canonical((value as Record<string, unknown>)[name], ancestors)]),
      );
  ancestors.pop();
  return result;
}

/**
 * The SHA-256 fingerprint of a request payload, independent of object key order, so that a
 * replay is compared with the original without storing the payload itself.
 *
 * @example
 * ```ts
 * payloadFingerprint({ a: 1, b: 2 }) === payloadFingerprint({ b: 2, a: 1 }); // true
 * ```
 * @throws `ValidationError` (path `payload`) when the payload holds a cycle or a BigInt, or nests
 * deeper than 64 levels.
 */
export function payloadFingerprint(payload: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(canonical(payload, []));
  } catch (error: unknown) {
    if (error instanceof ValidationError) throw error;
    // A BigInt, or a toJSON that throws.
    throw unfingerprintable();
  }
  return createHash('sha256')
    .update(text ?? 'undefined')
    .digest('hex');
}

/**
 * Creates an {@link Idempotency} runner: the first request with a key runs and its response is
 * stored for `ttlMs`; concurrent duplicates wait up to `waitMs` for that response; a replay with
 * a different payload is refused. A failed operation releases the key so a retry runs again.
 * Storing and releasing are fenced by the claim's token, so a request that outlived its claim
 * never overwrites the record of the request that claimed the key after it.
 * Responses must be JSON-serializable. Scope keys by tenant (`${tenantId}:${key}`).
 *
 * @throws `ResilienceConfigError` when `options` or its `store` is not an object, a
 * duration is not positive, or `pollMs` is above 2147483647 (a timer cannot hold more).
 * @example
 * ```ts
 * import { createIdempotency } from '@carequeue/resilience';
 * import { redisIdempotencyStore } from '@carequeue/resilience/redis';
 *
 * const idempotency = createIdempotency({ store: redisIdempotencyStore({ client, encryptor }) });
 * const booking = await idempotency.run(`${tenantId}:${req.headers['idempotency-key']}`, req.body, () =>
 *   bookings.create(req.body),
 * );
 * ```
 */
export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const { store } = optionsObject('createIdempotency options', options);
  optionsObject('createIdempotency options.store', store);
  // TTLs go to the store and waitMs is compared with the clock, so only pollMs meets a timer.
  const ttlMs = positiveNumberOption(`${OPTION}ttlMs`, options.ttlMs ?? 86_400_000);
  const lockTtlMs = positiveNumberOption(`${OPTION}lockTtlMs`, options.lockTtlMs ?? 60_000);
  const waitMs = positiveNumberOption(`${OPTION}waitMs`, options.waitMs ?? 10_000);
  const pollMs = timerDurationMs(`${OPTION}pollMs`, options.pollMs ?? 25);
  const clock = options.clock ?? systemClock;
  const pause = (): Promise<void> =>
    new Promise((resolve) => {
      clock.setTimeout(resolve, pollMs);
    });

  return {
    async run<T>(key: string, payload: unknown, operation: () => Promise<T>): Promise<T> {
      throwIfInvalid('Idempotency.run', [
        ...textIssues(key, 'key', 1, MAX_KEY_LENGTH),
        ...functionIssues(operation, 'operation'),
      ]);
      const fingerprint = payloadFingerprint(payload);
      const giveUpAt = clock.now() + waitMs;
      let token: string;
      for (;;) {
        const claim = await store.claim(key, fingerprint, lockTtlMs);
        if (claim.status === 'claimed') {
          token = claim.token;
          break;
        }
        if (claim.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        if (claim.status === 'completed') return JSON.parse(claim.response) as T;
        if (clock.now() >= giveUpAt) throw new IdempotencyInProgressError();
        await pause();
      }
      let result: T;
      try {
        result = await operation();
      } catch (error: unknown) {
        try {
          await store.release(key, token);
        } catch (releaseError: unknown) {
          // Another request took the key over: it is not ours to free, and the caller needs the
          // operation's own failure.
          if (!(releaseError instanceof IdempotencyClaimLostError)) throw releaseError;
        }
        throw error;
      }
      await store.complete(key, token, fingerprint, JSON.stringify(result) ?? 'null', ttlMs);
      return result;
    },
  };
}

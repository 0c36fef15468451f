import {
  RateLimitedError,
  systemClock,
  type Clock,
  type ErrorIssue,
  type TimerHandle,
} from '@carequeue/core';
import { TimeoutQueue } from '../breaker/timeout-queue.js';
import {
  isRecord,
  MAX_KEY_LENGTH,
  numberIssues,
  recordIssues,
  signalIssues,
  textIssues,
  throwIfInvalid,
} from '../call-arguments.js';
import { numberOption } from '../config/number-option.js';
import { optionsObject } from '../config/options-object.js';
import { timerDurationMs } from '../config/timer-duration.js';
import { ResilienceConfigError, ResilienceStoreError } from '../errors.js';
import type { RateLimitStep } from '../pipeline.js';
import { memoryRateLimitStore } from './memory-rate-limit-store.js';
import type {
  RateLimitRequest,
  RateLimitResult,
  RateLimitStore,
  TokenBucketLimit,
} from './rate-limit-store.js';

/**
 * The request shape the default key generator reads (an authenticated user id, else the client
 * address), matching what Fastify and Express put on a request.
 *
 * @example
 * ```ts
 * const request: RateLimitedRequest = { user: { id: 'user-1' }, ip: '10.0.0.7' };
 * ```
 */
export interface RateLimitedRequest {
  readonly user?: { readonly id?: string | undefined } | undefined;
  readonly ip?: string | undefined;
}

/**
 * A limit of `max` requests per `windowMs`, enforced as a token bucket of `max` tokens that
 * refills continuously over `windowMs` (so bursts up to `max` pass, then a steady rate).
 *
 * @example
 * ```ts
 * const perEndpoint: RateLimit = { windowMs: 1000, max: 500 };
 * ```
 */
export interface RateLimit {
  readonly windowMs: number;
  readonly max: number;
}

/**
 * Options of {@link RateLimiter}.
 *
 * @example
 * ```ts
 * const options: RateLimiterOptions = {
 *   windowMs: 15 * 60 * 1000,
 *   max: 100,
 *   keyGenerator: (req) => req.user?.id || req.ip,
 *   endpointLimit: { windowMs: 1000, max: 200 },
 * };
 * ```
 */
export interface RateLimiterOptions<TRequest = RateLimitedRequest> extends RateLimit {
  /**
   * Names the caller's bucket. A missing or empty key falls into one shared `anonymous` bucket,
   * so unidentified callers are limited together rather than not at all.
   * @default the request's `user.id`, else its `ip`
   */
  readonly keyGenerator?: (request: TRequest) => string | undefined;
  /** A second bucket per endpoint, checked atomically with the caller's bucket. */
  readonly endpointLimit?: RateLimit;
  /** The shared store. @default a memory store (limits per instance) */
  readonly store?: RateLimitStore;
  /** Decides while `store` fails or is slow; limits then hold per instance. @default a memory store */
  readonly insurance?: RateLimitStore;
  /** Time the store gets before the insurance decides instead. @default 250 */
  readonly storeTimeoutMs?: number;
  /** After a store failure, how long the insurance decides before the store is tried again. @default 1000 */
  readonly probeIntervalMs?: number;
  /** Prefix of every bucket key. @default 'cq:rl:' */
  readonly prefix?: string;
  /** Time source for timeouts, probes and the memory stores. @default systemClock */
  readonly clock?: Clock;
  /** Told about each store failure (for logging); the decision still comes from the insurance. */
  readonly onStoreError?: (error: unknown) => void;
}

/**
 * Per-call options of {@link RateLimiter.limit} and {@link RateLimiter.consume}.
 *
 * @example
 * ```ts
 * await limiter.limit(request, { endpoint: 'POST /bookings', cost: 2 });
 * ```
 */
export interface RateLimitCallOptions {
  /** The endpoint, for the endpoint bucket (ignored without `endpointLimit`). */
  readonly endpoint?: string | undefined;
  /** Tokens this call spends. @default 1 */
  readonly cost?: number | undefined;
  /** Decision time in epoch ms; the store's own time when absent (Redis server time). */
  readonly now?: number | undefined;
}

/**
 * Decision counters of a {@link RateLimiter} since it was created, for analytics.
 *
 * @example
 * ```ts
 * const { allowed, rejected, insured } = limiter.usage();
 * ```
 */
export interface RateLimiterUsage {
  readonly allowed: number;
  readonly rejected: number;
  /** Decisions made by the insurance store because the shared store failed. */
  readonly insured: number;
  /** Store calls that failed or timed out. */
  readonly storeFailures: number;
  /** True while the insurance decides instead of the store. */
  readonly degraded: boolean;
}

function checkLimit(name: string, limit: RateLimit): void {
  optionsObject(name, limit);
  if (!Number.isInteger(limit.max) || limit.max <= 0) {
    throw new ResilienceConfigError(`${name}.max must be a positive integer.`);
  }
  if (!Number.isFinite(limit.windowMs) || limit.windowMs <= 0) {
    throw new ResilienceConfigError(`${name}.windowMs must be a positive number of milliseconds.`);
  }
}

/** The latest decision time accepted: the last instant a `Date` can hold. */
const LATEST_INSTANT = 8.64e15;

function callOptionsIssues(options: unknown): ErrorIssue[] {
  if (!isRecord(options)) return [{ path: 'options', message: 'must be an object or be left out' }];
  const { endpoint, cost, now } = options;
  return [
    ...(endpoint === undefined ? [] : textIssues(endpoint, 'options.endpoint', 1, MAX_KEY_LENGTH)),
    ...(cost === undefined
      ? []
      : numberIssues(cost, 'options.cost', Number.MIN_VALUE, Number.MAX_VALUE)),
    ...(now === undefined ? [] : numberIssues(now, 'options.now', 0, LATEST_INSTANT)),
  ];
}

function defaultKey(request: unknown): string | undefined {
  const { user, ip } = (request ?? {}) as RateLimitedRequest;
  return user?.id ?? ip;
}

/**
 * A token-bucket rate limiter with a per-caller bucket and an optional per-endpoint bucket,
 * decided in one atomic store call that spends nothing when rejected. When the shared store
 * fails or is slower than `storeTimeoutMs`, an in-memory insurance limiter decides (limits then
 * hold per instance; the limiter never fails open) and the store is probed again every
 * `probeIntervalMs`. Usable as the `rateLimit` step of a {@link createPipelinePolicy}.
 *
 * Created by {@link createRateLimiter}.
 */
class RateLimiter<TRequest = RateLimitedRequest> implements RateLimitStep {
  readonly #user: RateLimit;
  readonly #endpoint: RateLimit | undefined;
  readonly #keyGenerator: (request: TRequest) => string | undefined;
  readonly #store: RateLimitStore;
  readonly #insurance: RateLimitStore;
  readonly #storeTimeoutMs: number;
  readonly #probeIntervalMs: number;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #onStoreError: ((error: unknown) => void) | undefined;
  readonly #timeouts: TimeoutQueue;
  #degradedUntil = -Infinity;
  #allowed = 0;
  #rejected = 0;
  #insured = 0;
  #storeFailures = 0;

  constructor(options: RateLimiterOptions<TRequest>) {
    checkLimit('RateLimiter options', options);
    if (options.endpointLimit !== undefined) {
      checkLimit('RateLimiter options.endpointLimit', options.endpointLimit);
    }
    this.#user = { windowMs: options.windowMs, max: options.max };
    this.#endpoint = options.endpointLimit;
    this.#keyGenerator = options.keyGenerator ?? defaultKey;
    this.#clock = options.clock ?? systemClock;
    this.#store = options.store ?? memoryRateLimitStore({ clock: this.#clock });
    this.#insurance = options.insurance ?? memoryRateLimitStore({ clock: this.#clock });
    this.#storeTimeoutMs = timerDurationMs(
      'RateLimiter options.storeTimeoutMs',
      options.storeTimeoutMs ?? 250,
    );
    // Compared with the clock, never put in a timer; 0 probes the store on every call.
    this.#probeIntervalMs = numberOption(
      'RateLimiter options.probeIntervalMs',
      options.probeIntervalMs ?? 1000,
      0,
    );
    this.#prefix = options.prefix ?? 'cq:rl:';
    this.#onStoreError = options.onStoreError;
    this.#timeouts = new TimeoutQueue(this.#clock);
  }

  /**
   * Decides for a request, keyed by `keyGenerator`. Never throws for a rejection: read `allowed`.
   *
   * @throws `ValidationError` naming the argument, before the store is called, when the key
   * `keyGenerator` made of `request` is neither a string of at most 512 characters (without NUL
   * characters) nor `undefined` (path `request`), or an option is invalid (see
   * {@link RateLimiter.consume}).
   * @example
   * ```ts
   * const { allowed, retryAfterMs } = await limiter.limit(req, { endpoint: 'GET /queue' });
   * ```
   */
  async limit(request: TRequest, options: RateLimitCallOptions = {}): Promise<RateLimitResult> {
    const key = this.#keyGenerator(request) ?? '';
    throwIfInvalid('RateLimiter.limit', [
      ...textIssues(key, 'request', 0, MAX_KEY_LENGTH),
      ...callOptionsIssues(options),
    ]);
    return this.#consumeChecked(key, options);
  }

  /**
   * Decides for a caller key directly; an empty key is the shared `anonymous` bucket.
   *
   * @throws `ValidationError` naming the argument, before the store is called, when `key` is not
   * a string of at most 512 characters without NUL characters, `options` is not an object,
   * `endpoint` is not such a string, `cost` is not greater than 0 and at most the smallest `max`
   * that applies, or `now` is not a time from 0 to 8.64e15.
   * @example
   * ```ts
   * const result = await limiter.consume('user-1', { endpoint: 'POST /bookings' });
   * ```
   */
  async consume(key: string, options: RateLimitCallOptions = {}): Promise<RateLimitResult> {
    throwIfInvalid('RateLimiter.consume', [
      ...textIssues(key, 'key', 0, MAX_KEY_LENGTH),
      ...callOptionsIssues(options),
    ]);
    return this.#consumeChecked(key, options);
  }

  async #consumeChecked(key: string, options: RateLimitCallOptions): Promise<RateLimitResult> {
    const request = this.#request(key, options);
    const result = await this.#decide(request);
    if (result.allowed) this.#allowed += 1;
    else this.#rejected += 1;
    return result;
  }

  /**
   * The pipeline step: resolves when the call may proceed.
   *
   * @throws `RateLimitedError` (from `@carequeue/core`, with `retryAfterMs`) when rejected, or
   * the signal's reason when it is already aborted.
   * @throws `ValidationError` naming the field when `options` is not an object, `key` is not a
   * string of at most 512 characters or `signal` is not an `AbortSignal`.
   * @example
   * ```ts
   * const guarded = createPipelinePolicy({ rateLimit: limiter, retry: createRetryPolicy() });
   * await guarded.execute(() => sms.send(message), { key: clinicId });
   * ```
   */
  async acquire(options: {
    readonly key?: string | undefined;
    readonly signal?: AbortSignal | undefined;
  }): Promise<void> {
    throwIfInvalid(
      'RateLimiter.acquire',
      isRecord(options)
        ? [
            ...(options.key === undefined
              ? []
              : textIssues(options.key, 'options.key', 0, MAX_KEY_LENGTH)),
            ...signalIssues(options.signal, 'options.signal'),
          ]
        : recordIssues(options, 'options'),
    );
    options.signal?.throwIfAborted();
    const result = await this.#consumeChecked(options.key ?? '', {});
    if (!result.allowed) throw new RateLimitedError(result.retryAfterMs);
  }

  /**
   * Decision counters since creation.
   *
   * @example
   * ```ts
   * metrics.gauge('rate_limit_rejected', limiter.usage().rejected);
   * ```
   */
  usage(): RateLimiterUsage {
    return {
      allowed: this.#allowed,
      rejected: this.#rejected,
      insured: this.#insured,
      storeFailures: this.#storeFailures,
      degraded: this.#clock.now() < this.#degradedUntil,
    };
  }

  #request(key: string, options: RateLimitCallOptions): RateLimitRequest {
    const cost = options.cost ?? 1;
    const buckets: TokenBucketLimit[] = [
      {
        key: `${this.#prefix}u:${key === '' ? 'anonymous' : key}`,
        capacity: this.#user.max,
        refillMs: this.#user.windowMs,
      },
    ];
    if (this.#endpoint !== undefined && options.endpoint !== undefined) {
      buckets.push({
        key: `${this.#prefix}e:${options.endpoint}`,
        capacity: this.#endpoint.max,
        refillMs: this.#endpoint.windowMs,
      });
    }
    if (buckets.some((bucket) => cost > bucket.capacity)) {
      throwIfInvalid('RateLimiter.consume', [
        {
          path: 'options.cost',
          message: 'must be no larger than the max of every limit that applies',
        },
      ]);
    }
    return { buckets, cost, now: options.now };
  }

  async #decide(request: RateLimitRequest): Promise<RateLimitResult> {
    if (this.#clock.now() >= this.#degradedUntil) {
      try {
        const result = await this.#fromStore(request);
        this.#degradedUntil = -Infinity;
        return result;
      } catch (error: unknown) {
        this.#storeFailures += 1;
        this.#degradedUntil = this.#clock.now() + this.#probeIntervalMs;
        this.#onStoreError?.(error);
      }
    }
    this.#insured += 1;
    return this.#insurance.consume(request);
  }

  #fromStore(request: RateLimitRequest): Promise<RateLimitResult> {
    return new Promise<RateLimitResult>((resolve, reject) => {
      let settled = false;
      const onTimeout = (): void => {
        if (settled) return;
        settled = true;
        reject(new ResilienceStoreError('rate-limit', 'consume (timed out)'));
      };
      // Every store call has the same timeout, so they fall due in order and share the queue's
      // one timer instead of arming and clearing a timer per decision; a clock that stepped
      // back gets its own timer.
      const queued = this.#timeouts.add(this.#clock.now() + this.#storeTimeoutMs, onTimeout);
      const timer: TimerHandle | undefined =
        queued === undefined ? this.#clock.setTimeout(onTimeout, this.#storeTimeoutMs) : undefined;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        if (queued !== undefined) queued.cancel();
        else this.#clock.clearTimeout(timer as TimerHandle);
        return true;
      };
      let pending: Promise<RateLimitResult>;
      try {
        pending = this.#store.consume(request);
      } catch (error: unknown) {
        pending = Promise.resolve().then(() => {
          throw error;
        });
      }
      pending.then(
        (result) => {
          if (finish()) resolve(result);
        },
        () => {
          // Settling with the store's own promise passes its rejection on unchanged.
          if (finish()) resolve(pending);
        },
      );
    });
  }
}

/**
 * Creates a {@link RateLimiter}.
 *
 * @throws {@link ResilienceConfigError} when a limit is not positive.
 * @example
 * ```ts
 * import { createRateLimiter, rateLimitHeaders } from '@carequeue/resilience';
 * import { redisRateLimitStore } from '@carequeue/resilience/redis';
 *
 * const rateLimiter = createRateLimiter({
 *   windowMs: 15 * 60 * 1000, // 15 minutes
 *   max: 100, // 100 requests per window
 *   keyGenerator: (req) => req.user?.id || req.ip,
 *   store: redisRateLimitStore({ client }),
 * });
 * const result = await rateLimiter.limit(req, { endpoint: 'POST /bookings' });
 * reply.headers(rateLimitHeaders(result));
 * if (!result.allowed) return reply.code(429).send();
 * ```
 */
export function createRateLimiter<TRequest = RateLimitedRequest>(
  options: RateLimiterOptions<TRequest>,
): RateLimiter<TRequest> {
  return new RateLimiter(options);
}

export type { RateLimiter };

import type { CacheService } from './cache-service.js';
import { CacheArgumentError, CacheSerializationError } from './errors.js';

// Checks run before a call touches L1, the store or the bus, so a bad call changes nothing.
// Messages name the argument and the rule, never the value: keys and values may hold PHI.

const CALL_OPTIONS = new Set(['tenant']);
const SET_OPTIONS = new Set(['tenant', 'ttlMs', 'tags']);
const GET_OR_SET_OPTIONS = new Set([
  'tenant',
  'ttlMs',
  'tags',
  'softTimeoutMs',
  'hardTimeoutMs',
  'lock',
]);
const LOCK_OPTIONS = new Set(['ttlMs', 'waitMs', 'pollMs']);
const CACHEABLE_OPTIONS = new Set(['ttlMs']);

/**
 * The longest time a value may stay fresh (and a ttl may ask for): a year. Longer ones were
 * accepted and then refused by Redis, whose expiry must fit its integer range, after the call
 * had counted a set.
 *
 * @example
 * ```ts
 * await cache.set('clinic-settings:main', settings, { ttlMs: MAX_CACHE_TTL_MS });
 * ```
 */
export const MAX_CACHE_TTL_MS = 365 * 24 * 60 * 60 * 1000;

// The longest delay Node's timers honour: a longer timeout or poll fires after 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Names of durations in seconds or without a unit, refused with a pointer to their ms form:
// taken as they were, a `ttlSeconds: 300` would be five minutes no longer, and silently.
const UNIT_LESS_DURATIONS: ReadonlyMap<string, string> = new Map([
  ['ttl', 'ttlMs'],
  ['ttlSeconds', 'ttlMs'],
]);

// The rule a bare number breaks where an options object with durations is expected: a number
// there was once a ttl in seconds, and read as ms now it would cut five minutes to 0.3 s.
const BARE_NUMBER_RULE =
  'is a bare number where an options object is expected: durations are given in milliseconds as { ttlMs } (five minutes is { ttlMs: 300_000 })';

function checkObject(value: unknown, argument: string, allowed: ReadonlySet<string>): void {
  if (typeof value === 'number' && allowed.has('ttlMs')) {
    throw new CacheArgumentError(argument, BARE_NUMBER_RULE);
  }
  if (!isRecord(value)) throw new CacheArgumentError(argument, 'must be an object or undefined');
  for (const name of Object.keys(value)) {
    if (allowed.has(name)) continue;
    const inMs = UNIT_LESS_DURATIONS.get(name);
    if (inMs !== undefined && allowed.has(inMs)) {
      throw new CacheArgumentError(
        `${argument}.${name}`,
        `is not an option: durations are given in milliseconds, so pass \`${inMs}\` (five minutes is 300_000)`,
      );
    }
    // A misspelt `tenant` would silently fall back to the context's tenant.
    throw new CacheArgumentError(
      argument,
      `has a property that is not an option (allowed: ${[...allowed].join(', ')})`,
    );
  }
}

function checkDuration(value: unknown, argument: string, allowZero: boolean, max: number): void {
  if (value === undefined) return;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > max ||
    (!allowZero && value === 0)
  ) {
    throw new CacheArgumentError(
      argument,
      `must be a finite number of ms ${allowZero ? 'from 0' : 'above 0'} up to ${max}`,
    );
  }
}

/**
 * Refuses anything but an array of non-empty strings.
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkTags(['clinic:c1'], 'tags');
 * ```
 */
export function checkTags(tags: unknown, argument: string): void {
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || tag.length === 0)) {
    throw new CacheArgumentError(argument, 'must be an array of non-empty strings');
  }
}

/**
 * Refuses a key or pattern that is not a string (its shape is checked when it is parsed).
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkKeyArgument('clinic-settings:main', 'key');
 * ```
 */
export function checkKeyArgument(key: unknown, argument: string): asserts key is string {
  if (typeof key !== 'string') {
    throw new CacheArgumentError(argument, 'must be a string "<namespace>:<id>"');
  }
}

/**
 * Refuses options of `get`, `delete`, `invalidate`, `invalidateTags` and `clear` that are not
 * `undefined` or `{ tenant?: string }`.
 *
 * @throws {@link CacheArgumentError} naming `options` or `options.tenant`.
 * @example
 * ```ts
 * checkCallOptions({ tenant: 't-1' });
 * ```
 */
export function checkCallOptions(call: unknown): void {
  if (call === undefined) return;
  checkObject(call, 'options', CALL_OPTIONS);
  checkTenant((call as Record<string, unknown>)['tenant']);
}

function checkTenant(tenant: unknown): void {
  if (tenant !== undefined && typeof tenant !== 'string') {
    throw new CacheArgumentError('options.tenant', 'must be a string or undefined');
  }
}

function checkSetFields(call: Record<string, unknown>): void {
  checkTenant(call['tenant']);
  checkDuration(call['ttlMs'], 'options.ttlMs', false, MAX_CACHE_TTL_MS);
  if (call['tags'] !== undefined) checkTags(call['tags'], 'options.tags');
}

/**
 * Refuses the options of `set` unless they are `undefined` or `{ tenant?, ttlMs?, tags? }`
 * (ttlMs up to {@link MAX_CACHE_TTL_MS}); a bare number (once a ttl in seconds) is refused with
 * a pointer to `{ ttlMs }`.
 *
 * @throws {@link CacheArgumentError} naming `options` or the option at fault.
 * @example
 * ```ts
 * checkSetOptions({ ttlMs: 60_000, tags: ['clinic:c1'] });
 * ```
 */
export function checkSetOptions(options: unknown): void {
  if (options === undefined) return;
  checkObject(options, 'options', SET_OPTIONS);
  checkSetFields(options as Record<string, unknown>);
}

/**
 * Refuses options of `getOrSet` (and of `cached`) that are not `undefined` or
 * shaped like `GetOrSetOptions`.
 *
 * @throws {@link CacheArgumentError} naming the option at fault.
 * @example
 * ```ts
 * checkGetOrSetOptions({ lock: { waitMs: 1_000 }, hardTimeoutMs: 2_000 });
 * ```
 */
export function checkGetOrSetOptions(call: unknown): void {
  if (call === undefined) return;
  checkObject(call, 'options', GET_OR_SET_OPTIONS);
  const fields = call as Record<string, unknown>;
  checkSetFields(fields);
  checkDuration(fields['softTimeoutMs'], 'options.softTimeoutMs', true, MAX_TIMER_MS);
  checkDuration(fields['hardTimeoutMs'], 'options.hardTimeoutMs', false, MAX_TIMER_MS);
  const lock = fields['lock'];
  if (lock === undefined || typeof lock === 'boolean') return;
  checkObject(lock, 'options.lock', LOCK_OPTIONS);
  const lockFields = lock as Record<string, unknown>;
  checkDuration(lockFields['ttlMs'], 'options.lock.ttlMs', false, MAX_TIMER_MS);
  checkDuration(lockFields['waitMs'], 'options.lock.waitMs', true, MAX_TIMER_MS);
  checkDuration(lockFields['pollMs'], 'options.lock.pollMs', false, MAX_TIMER_MS);
}

/**
 * Refuses anything but a function.
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkFunction(() => repo.settings('main'), 'factory');
 * ```
 */
export function checkFunction(value: unknown, argument: string): void {
  if (typeof value !== 'function') throw new CacheArgumentError(argument, 'must be a function');
}

/**
 * Refuses a namespace that is not a non-empty string without `:` or `*`.
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkNamespaceArgument('clinic-settings', 'namespace');
 * ```
 */
export function checkNamespaceArgument(value: unknown, argument: string): void {
  if (typeof value !== 'string' || value.length === 0 || /[:*]/.test(value)) {
    throw new CacheArgumentError(argument, 'must be a non-empty string without ":" or "*"');
  }
}

/**
 * Refuses the options of `Cacheable` unless they are `undefined` or `{ ttlMs? }`; a bare number
 * (once a ttl in seconds) is refused with a pointer to `{ ttlMs }`.
 *
 * @throws {@link CacheArgumentError} naming `options` or `options.ttlMs`.
 * @example
 * ```ts
 * checkCacheableOptions({ ttlMs: 60_000 });
 * ```
 */
export function checkCacheableOptions(options: unknown): void {
  if (options === undefined) return;
  checkObject(options, 'options', CACHEABLE_OPTIONS);
  checkDuration(
    (options as Record<string, unknown>)['ttlMs'],
    'options.ttlMs',
    false,
    MAX_CACHE_TTL_MS,
  );
}

/**
 * Refuses anything that is not a cache service, so a wrong argument fails where it is passed
 * rather than at the first cached call.
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * checkCacheArgument(cache, 'cache');
 * ```
 */
export function checkCacheArgument(cache: unknown, argument: string): void {
  if (
    typeof cache !== 'object' ||
    cache === null ||
    typeof (cache as Partial<CacheService>).getOrSet !== 'function'
  ) {
    throw new CacheArgumentError(argument, 'must be a cache service from createCacheService');
  }
}

/**
 * Builds `<namespace>:<id>` from what a key function returned, refusing anything but a
 * non-empty string: `undefined` or an object would otherwise turn every call into the same
 * `<namespace>:undefined` or `<namespace>:[object Object]` key.
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * keyFromKeyFn('clinic-settings', keyFn(clinicId), 'keyFn'); // 'clinic-settings:c1'
 * ```
 */
export function keyFromKeyFn(namespace: string, id: unknown, argument: string): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new CacheArgumentError(argument, 'must return a non-empty string');
  }
  return `${namespace}:${id}`;
}

/**
 * Runs `encode` on a value given as the argument `argument` (the value of `set`): a value the
 * codec cannot store is a bad argument, refused with a `CacheArgumentError` naming it (400) whose
 * cause is the codec's `CacheSerializationError`, rather than a failure of the cache (500).
 *
 * @throws {@link CacheArgumentError} naming `argument`.
 * @example
 * ```ts
 * const text = encodedArgument(() => encodeValue(value), 'value');
 * ```
 */
export function encodedArgument<T>(encode: () => T, argument: string): T {
  try {
    return encode();
  } catch (error: unknown) {
    if (!(error instanceof CacheSerializationError)) throw error;
    throw new CacheArgumentError(
      argument,
      'must be a value the cache codec can store: no functions, symbols, cycles, class instances other than Date, Map and Set, or nesting deeper than 1,000 levels',
      { cause: error },
    );
  }
}

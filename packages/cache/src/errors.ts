import { CarequeueError, ValidationError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The cache could not complete the operation.
 *
 * @example
 * ```ts
 * import { CacheError, isCarequeueError } from '@carequeue/cache';
 *
 * const err = new CacheError();
 * isCarequeueError(err); // true
 * err.code; // 'CACHE_FAILED'
 * ```
 */
export class CacheError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super('CACHE_FAILED', 500, 'The cache could not complete the operation.', options);
  }
}

/**
 * A cache key, pattern or namespace is not in the expected shape. The message names the rule,
 * never the key, because keys may hold identifiers.
 *
 * @example
 * ```ts
 * try {
 *   await cache.get('no-namespace');
 * } catch (err) {
 *   if (err instanceof CacheKeyError) console.warn(err.code); // 'CACHE_KEY_INVALID'
 * }
 * ```
 */
export class CacheKeyError extends CarequeueError {
  constructor(rule: string, options?: CarequeueErrorOptions) {
    super('CACHE_KEY_INVALID', 400, `The cache key or pattern is invalid: ${rule}.`, options);
  }
}

/**
 * The cache was called with no tenant: pass `tenant` in the options or run inside a request
 * context that names one.
 *
 * @example
 * ```ts
 * try {
 *   await cache.get('clinic-settings:main');
 * } catch (err) {
 *   if (err instanceof CacheTenantRequiredError) console.warn(err.code); // 'CACHE_TENANT_REQUIRED'
 * }
 * ```
 */
export class CacheTenantRequiredError extends CarequeueError {
  constructor() {
    super(
      'CACHE_TENANT_REQUIRED',
      400,
      'The cache needs a tenant: pass `tenant` or run inside a request context with a tenant id.',
    );
  }
}

/**
 * The cache service or a store was configured in a way that could leak data or cannot work,
 * such as a sensitive namespace on a shared store without an encryptor.
 *
 * @example
 * ```ts
 * try {
 *   createCacheService({ store: redisCacheStore({ client }) });
 * } catch (err) {
 *   if (err instanceof CacheConfigError) console.error(err.message);
 * }
 * ```
 */
export class CacheConfigError extends CarequeueError {
  constructor(message: string, options?: CarequeueErrorOptions) {
    super('CACHE_CONFIG_INVALID', 500, message, options);
  }
}

/**
 * A value cannot be stored because the cache codec cannot represent it (a function, a symbol or
 * a class instance other than Date, Map and Set).
 *
 * @example
 * ```ts
 * await cache.set('clinic-settings:main', { onOpen: () => 1 }); // throws CacheSerializationError
 * ```
 */
export class CacheSerializationError extends CarequeueError {
  constructor(kind: string, options?: CarequeueErrorOptions) {
    super(
      'CACHE_SERIALIZATION_FAILED',
      500,
      `The value cannot be cached: the codec has no representation for a ${kind}.`,
      options,
    );
  }
}

/**
 * A `getOrSet` factory ran past its hard timeout and there was no stale value to fall back on.
 *
 * @example
 * ```ts
 * await cache.getOrSet('staff-schedules:week', loadWeek, { hardTimeoutMs: 2_000 });
 * // rejects with CacheFactoryTimeoutError when loadWeek takes longer than 2 s
 * ```
 */
export class CacheFactoryTimeoutError extends CarequeueError {
  constructor(timeoutMs: number) {
    super('CACHE_FACTORY_TIMEOUT', 504, `The cache factory did not finish within ${timeoutMs} ms.`);
  }
}

/**
 * A Redis command of the cache failed; the driver error is the `cause`.
 *
 * @example
 * ```ts
 * store.read(address).catch((err: unknown) => {
 *   if (err instanceof CacheRedisError) console.warn(err.message); // '[cache:redis] ...'
 * });
 * ```
 */
export class CacheRedisError extends CarequeueError {
  constructor(operation: string, options?: CarequeueErrorOptions) {
    super('CACHE_REDIS_FAILED', 503, `[cache:redis] The ${operation} command failed.`, options);
  }
}

/**
 * A cache method or factory was called with an argument of the wrong type or shape (a key that
 * is not a string, `null` options, a factory that is not a function, an unknown option). It is a
 * core `ValidationError` (code `VALIDATION_FAILED`, status 400) whose one issue names the argument
 * path and the rule, never its value, because keys and values may hold identifiers.
 *
 * @example
 * ```ts
 * try {
 *   await cache.set('clinic-settings:main', settings, null as never);
 * } catch (err) {
 *   if (err instanceof CacheArgumentError) console.error(err.argument); // 'options'
 * }
 * ```
 */
export class CacheArgumentError extends ValidationError {
  /** The argument at fault, such as `key`, `options.ttlMs` or `factory`. */
  readonly argument: string;

  constructor(argument: string, rule: string, options?: CarequeueErrorOptions) {
    super(
      `The cache was called with an invalid \`${argument}\`: it ${rule}.`,
      [{ path: argument, message: `It ${rule}.` }],
      options,
    );
    this.argument = argument;
  }
}

/**
 * A value read from the cache was changed in place: Dates, Maps and Sets the cache returns are
 * read-only (status 409, like changing any other resource in a state that forbids it). Copy the
 * value and change the copy.
 *
 * @example
 * ```ts
 * const opening = await cache.get<Date>('clinic-settings:opening');
 * opening?.setHours(9); // throws CacheValueReadOnlyError
 * const changed = new Date(opening ?? 0); // a copy can be changed
 * ```
 */
export class CacheValueReadOnlyError extends CarequeueError {
  constructor() {
    super(
      'CACHE_VALUE_READ_ONLY',
      409,
      'Cached values are read-only; copy the value before changing it.',
    );
  }
}

/**
 * Every error class of `@carequeue/cache`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.CacheError) console.warn(err.code);
 * ```
 */
export const errors = {
  CacheError,
  CacheKeyError,
  CacheTenantRequiredError,
  CacheConfigError,
  CacheSerializationError,
  CacheFactoryTimeoutError,
  CacheRedisError,
  CacheArgumentError,
  CacheValueReadOnlyError,
} as const;

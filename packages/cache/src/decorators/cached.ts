import type { CacheService, GetOrSetOptions } from '../cache-service.js';
import {
  checkCacheArgument,
  checkFunction,
  checkGetOrSetOptions,
  checkNamespaceArgument,
  checkSecondsArgument,
  keyFromKeyFn,
} from '../call-arguments.js';
import { CacheArgumentError } from '../errors.js';

/**
 * Options of {@link cached}.
 *
 * @example
 * ```ts
 * const options: CachedOptions<[string]> = { cache, namespace: 'clinic-settings', key: (id) => id };
 * ```
 */
export interface CachedOptions<A extends readonly unknown[]> extends Omit<
  GetOrSetOptions,
  'ttlMs'
> {
  /** The cache to read and fill. */
  readonly cache: CacheService;
  /** The namespace of the keys. */
  readonly namespace: string;
  /** Builds the key within the namespace from the call's arguments. */
  readonly key: (...args: A) => string;
  /** Time a result is fresh, in seconds. @default the namespace's ttl */
  readonly ttlSeconds?: number;
}

/**
 * Wraps an async function so that its results are cached per key, for code without decorators.
 *
 * @throws `CacheArgumentError` when `fn` or an option is of the wrong type; the wrapped function
 * rejects with it when `key` returns anything but a non-empty string.
 * @example
 * ```ts
 * const loadSettings = cached((clinicId: string) => repo.settings(clinicId), {
 *   cache,
 *   namespace: 'clinic-settings',
 *   key: (clinicId) => clinicId,
 * });
 * await loadSettings('clinic_1'); // runs the repository once, then answers from the cache
 * ```
 */
export function cached<A extends readonly unknown[], R>(
  fn: (...args: A) => Promise<R> | R,
  options: CachedOptions<A>,
): (...args: A) => Promise<R> {
  checkFunction(fn, 'fn');
  if (typeof options !== 'object' || options === null) {
    throw new CacheArgumentError('options', 'must be an object');
  }
  const { cache, namespace, key, ttlSeconds, ...rest } = options;
  checkCacheArgument(cache, 'options.cache');
  checkNamespaceArgument(namespace, 'options.namespace');
  checkFunction(key, 'options.key');
  checkSecondsArgument(ttlSeconds, 'options.ttlSeconds');
  const call: GetOrSetOptions =
    ttlSeconds === undefined ? rest : { ...rest, ttlMs: ttlSeconds * 1000 };
  checkGetOrSetOptions(call);
  // Async so that a key function that throws or returns no string rejects the call.
  return async (...args: A) =>
    cache.getOrSet(keyFromKeyFn(namespace, key(...args), 'options.key'), () => fn(...args), call);
}

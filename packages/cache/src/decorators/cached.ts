import type { GetOrSetOptions } from '../cache-options.js';
import type { CacheService } from '../cache-service.js';
import {
  checkCacheArgument,
  checkFunction,
  checkGetOrSetOptions,
  checkNamespaceArgument,
  keyFromKeyFn,
} from '../call-arguments.js';
import { CacheArgumentError } from '../errors.js';

/**
 * Options of {@link cached}: where results go, and the options of each `getOrSet` call
 * (`ttlMs` among them; the namespace's ttl when omitted).
 *
 * @example
 * ```ts
 * const options: CachedOptions<[string]> = {
 *   cache,
 *   namespace: 'clinic-settings',
 *   key: (id) => id,
 *   ttlMs: 300_000,
 * };
 * ```
 */
export interface CachedOptions<A extends readonly unknown[]> extends GetOrSetOptions {
  /** The cache to read and fill. */
  readonly cache: CacheService;
  /** The namespace of the keys. */
  readonly namespace: string;
  /** Builds the key within the namespace from the call's arguments. */
  readonly key: (...args: A) => string;
}

/**
 * Wraps an async function so that its results are cached per key, for code without decorators.
 *
 * @throws `CacheArgumentError` when `fn` or an option is of the wrong type, or is a duration
 * not in ms (`ttlSeconds`); the wrapped function rejects with it when `key` returns anything but
 * a non-empty string.
 * @example
 * ```ts
 * const loadSettings = cached((clinicId: string) => repo.settings(clinicId), {
 *   cache,
 *   namespace: 'clinic-settings',
 *   key: (clinicId) => clinicId,
 *   ttlMs: 300_000,
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
  const { cache, namespace, key, ...call } = options;
  checkCacheArgument(cache, 'options.cache');
  checkNamespaceArgument(namespace, 'options.namespace');
  checkFunction(key, 'options.key');
  checkGetOrSetOptions(call);
  // Async so that a key function that throws or returns no string rejects the call.
  return async (...args: A) =>
    cache.getOrSet(keyFromKeyFn(namespace, key(...args), 'options.key'), () => fn(...args), call);
}

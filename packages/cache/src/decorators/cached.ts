import type { CacheService, GetOrSetOptions } from '../cache-service.js';

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
  const { cache, namespace, key, ttlSeconds, ...rest } = options;
  const call: GetOrSetOptions =
    ttlSeconds === undefined ? rest : { ...rest, ttlMs: ttlSeconds * 1000 };
  return (...args: A) => cache.getOrSet(`${namespace}:${key(...args)}`, () => fn(...args), call);
}

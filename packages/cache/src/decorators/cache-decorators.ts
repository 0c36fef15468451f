import type { CacheService } from '../cache-service.js';
import {
  checkCacheArgument,
  checkFunction,
  checkCacheableOptions,
  checkNamespaceArgument,
  keyFromKeyFn,
} from '../call-arguments.js';

/**
 * The methods {@link MethodDecorator} accepts: any method returning a promise.
 *
 * @example
 * ```ts
 * const load: AsyncMethod = async () => ({ open: true });
 * ```
 */
export type AsyncMethod = (this: unknown, ...args: never[]) => Promise<unknown>;

/**
 * A method decorator that works both as a TypeScript 5 standard decorator and with
 * `experimentalDecorators` (NestJS).
 *
 * @example
 * ```ts
 * class SettingsService {
 *   @Cacheable('clinic-settings', (clinicId: string) => clinicId, { ttlMs: 300_000 })
 *   async load(clinicId: string) { return repo.settings(clinicId); }
 * }
 * ```
 */
export interface MethodDecorator {
  <M extends AsyncMethod>(method: M, context: ClassMethodDecoratorContext): M;
  (
    target: object,
    propertyKey: string | symbol,
    descriptor: PropertyDescriptor,
  ): PropertyDescriptor;
}

/**
 * Options of {@link CacheDecorators.Cacheable}.
 *
 * @example
 * ```ts
 * const fiveMinutes: CacheableOptions = { ttlMs: 300_000 };
 * ```
 */
export interface CacheableOptions {
  /** Time a result is fresh, in milliseconds. @default the namespace's ttlMs */
  readonly ttlMs?: number;
}

/**
 * The decorators bound to one cache.
 *
 * @example
 * ```ts
 * const { Cacheable } = createCacheDecorators(cache);
 * ```
 */
export interface CacheDecorators {
  /**
   * Caches an async method's results under `<namespace>:<keyFn(...args)>` for `options.ttlMs`
   * (the namespace's ttl when omitted). A bare number in place of the options is refused:
   * durations are `{ ttlMs }`.
   */
  Cacheable<A extends readonly unknown[]>(
    namespace: string,
    keyFn: (...args: A) => string,
    options?: CacheableOptions,
  ): MethodDecorator;
}

/**
 * Creates decorators bound to `cache`, without any global registry. The decorator factory checks
 * its arguments when it is applied, and each call checks the id `keyFn` returns.
 *
 * @throws `CacheArgumentError` when `cache` is not a cache service, or (from `Cacheable`) when the
 * namespace, `keyFn` or `options` is of the wrong type (a bare number among them).
 * @example
 * ```ts
 * const { Cacheable } = createCacheDecorators(cache);
 *
 * class ScheduleService {
 *   @Cacheable('staff-schedules', (staffId: string, week: string) => `${staffId}:${week}`, {
 *     ttlMs: 60_000,
 *   })
 *   async week(staffId: string, week: string) { return repo.week(staffId, week); }
 * }
 * ```
 */
export function createCacheDecorators(cache: CacheService): CacheDecorators {
  checkCacheArgument(cache, 'cache');
  return {
    Cacheable<A extends readonly unknown[]>(
      namespace: string,
      keyFn: (...args: A) => string,
      options?: CacheableOptions,
    ): MethodDecorator {
      checkNamespaceArgument(namespace, 'namespace');
      checkFunction(keyFn, 'keyFn');
      checkCacheableOptions(options);
      const call = options?.ttlMs === undefined ? {} : { ttlMs: options.ttlMs };
      const wrap = (original: (...args: A) => unknown) =>
        // Async so that a key function that throws or returns no string rejects the call.
        async function cachedMethod(this: unknown, ...args: A): Promise<unknown> {
          const key = keyFromKeyFn(namespace, keyFn(...args), 'keyFn');
          return cache.getOrSet(key, (): unknown => Reflect.apply(original, this, args), call);
        };
      function decorate(
        target: unknown,
        contextOrKey: ClassMethodDecoratorContext | string | symbol,
        descriptor?: PropertyDescriptor,
      ): unknown {
        if (typeof contextOrKey === 'object') return wrap(target as (...args: A) => unknown);
        const original = descriptor?.value as (...args: A) => unknown;
        return { ...descriptor, value: wrap(original) };
      }
      return decorate as MethodDecorator;
    },
  };
}

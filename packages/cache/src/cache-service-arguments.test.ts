import { createFakeClock } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from './adapters/memory-store.js';
import type { CacheBus, CacheBusMessage } from './cache-bus.js';
import { createCacheService, type CacheService } from './cache-service.js';
import type { CacheStore } from './cache-store.js';
import { cached } from './decorators/cached.js';
import { createCacheDecorators } from './decorators/cache-decorators.js';
import { MAX_CACHE_TTL_MS } from './call-arguments.js';
import {
  CacheArgumentError,
  CacheConfigError,
  CacheKeyError,
  CacheSerializationError,
} from './errors.js';

const TENANT = 'tenant-Arguments-1';

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { id: 'Circular-Value-Never-Echoed' };
  value['self'] = value;
  return value;
}

const BAD = {
  null: null,
  undefined: undefined,
  number: 42,
  circular: circular(),
} as const;
type BadName = keyof typeof BAD;

/** What a bad argument of each kind is refused with; `accepts` are values by design. */
const KINDS = {
  key: { accepts: [], error: CacheArgumentError },
  factory: { accepts: [], error: CacheArgumentError },
  tags: { accepts: [], error: CacheArgumentError },
  subject: { accepts: [], error: CacheArgumentError },
  // `null`, `undefined` and numbers are values like any other; a cycle cannot be stored.
  value: { accepts: ['null', 'undefined', 'number'], error: CacheArgumentError },
  options: { accepts: ['undefined'], error: CacheArgumentError },
  // Options with a duration: a bare number is refused too (it was once a ttl in seconds).
  durationOptions: { accepts: ['undefined'], error: CacheArgumentError },
} satisfies Record<
  string,
  { accepts: readonly BadName[]; error: abstract new (...a: never[]) => Error }
>;
type Kind = keyof typeof KINDS;

interface Parameter {
  readonly name: string;
  readonly kind: Kind;
  readonly valid: unknown;
}
const param = (name: string, kind: Kind, valid: unknown): Parameter => ({ name, kind, valid });

/**
 * The parameters of every method, with a valid argument for each. Keyed by the interface, so a
 * new method does not compile until it is described here, and checked against the service's
 * own methods at run time.
 */
const PARAMETERS: Record<keyof CacheService, readonly Parameter[]> = {
  get: [param('key', 'key', 'clinic-settings:main'), param('options', 'options', undefined)],
  set: [
    param('key', 'key', 'clinic-settings:other'),
    param('value', 'value', { open: true }),
    param('options', 'durationOptions', undefined),
  ],
  getOrSet: [
    param('key', 'key', 'clinic-settings:other'),
    param('factory', 'factory', () => ({ open: true })),
    param('options', 'options', undefined),
  ],
  delete: [param('key', 'key', 'clinic-settings:other'), param('options', 'options', undefined)],
  invalidate: [
    param('pattern', 'key', 'clinic-settings:other'),
    param('options', 'options', undefined),
  ],
  invalidateTags: [param('tags', 'tags', ['clinic:c1']), param('options', 'options', undefined)],
  clear: [param('options', 'options', undefined)],
  eraseSubject: [param('subject', 'subject', 'pat_1'), param('options', 'options', undefined)],
  stats: [],
  close: [],
};

/** A cache whose store records every change and whose bus records every message. */
function watchedCache() {
  const clock = createFakeClock();
  const inner = memoryCacheStore({ clock });
  const changes: string[] = [];
  const store: CacheStore = {
    ...inner,
    write: (...args) => (changes.push('write'), inner.write(...args)),
    remove: (...args) => (changes.push('remove'), inner.remove(...args)),
    bump: (...args) => (changes.push('bump'), inner.bump(...args)),
    acquireLock: (...args) => (changes.push('lock'), inner.acquireLock(...args)),
  };
  const published: CacheBusMessage[] = [];
  const bus: CacheBus = {
    connected: true,
    publish: (message) => (published.push(message), Promise.resolve()),
    subscribe: () => () => undefined,
  };
  const cache = createCacheService({ clock, store, bus, tenant: () => TENANT });
  return { cache, changes, published };
}

/** The error a call ended with, thrown or rejected; `undefined` when it succeeded. */
async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    return error;
  }
}

describe('createCacheService', () => {
  it('refuses null, undefined, a number or a circular object in every argument of every method with a typed error and no write (raw TypeErrors on bad arguments)', async () => {
    const { cache, changes, published } = watchedCache();
    await cache.set('clinic-settings:main', { open: true });
    changes.length = 0;
    published.length = 0;
    const methods = Object.keys(cache).filter(
      (name) => typeof cache[name as keyof CacheService] === 'function',
    );
    expect(methods.sort()).toEqual(Object.keys(PARAMETERS).sort());
    let refused = 0;
    for (const method of methods) {
      const parameters = PARAMETERS[method as keyof CacheService];
      for (const [position, parameter] of parameters.entries()) {
        const { accepts, error: expected } = KINDS[parameter.kind];
        for (const [badName, bad] of Object.entries(BAD)) {
          if ((accepts as readonly string[]).includes(badName)) continue;
          const args = parameters.map((p, i) => (i === position ? bad : p.valid));
          const fn = cache[method as keyof CacheService] as (...a: unknown[]) => unknown;
          // Promise-returning methods reject rather than throw, like any other failure.
          let returned: unknown;
          const error = await failureOf(() => {
            returned = Reflect.apply(fn, cache, args);
            return returned;
          });
          const label = `${method}(${parameter.name} = ${badName})`;
          expect(returned, label).toBeInstanceOf(Promise);
          expect(error, label).toBeInstanceOf(expected);
          const message = (error as Error).message;
          expect(message, label).not.toContain('Circular-Value-Never-Echoed');
          expect(message, label).not.toContain('42');
          expect((error as CacheArgumentError).argument, label).toMatch(
            parameter.kind === 'options' || parameter.kind === 'durationOptions'
              ? /^options/
              : new RegExp(`^${parameter.name}$`),
          );
          refused += 1;
        }
      }
    }
    // 7 for get, delete, invalidate, invalidateTags, eraseSubject; 8 for set (a bare number is no
    // ttl); 11 for getOrSet; 3 for clear.
    expect(refused).toBe(57);
    expect(changes).toEqual([]);
    expect(published).toEqual([]);
    // Nothing local moved either: the value set before is still served from L1.
    expect(await cache.get('clinic-settings:main')).toEqual({ open: true });
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({ l1Hits: 1, sets: 1 });
  });

  it('refuses a value the codec cannot store as a 400 naming `value`, before anything is written (a 500 CacheSerializationError before)', async () => {
    const { cache, changes, published } = watchedCache();
    class Appointment {
      readonly id = 'Circular-Value-Never-Echoed';
    }
    const values: unknown[] = [
      () => 1,
      { at: Symbol('Circular-Value-Never-Echoed') },
      new Appointment(),
      circular(),
    ];
    for (const value of values) {
      const error = await failureOf(() => cache.set('clinic-settings:main', value));
      expect(error).toBeInstanceOf(CacheArgumentError);
      expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', argument: 'value' });
      expect((error as Error).cause).toBeInstanceOf(CacheSerializationError);
      expect(JSON.stringify((error as CacheArgumentError).toProblem())).not.toContain(
        'Circular-Value-Never-Echoed',
      );
    }
    expect(changes).toEqual([]);
    expect(published).toEqual([]);
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({ sets: 0 });
  });

  it('refuses a ttl longer than a year as an invalid argument before anything is written or counted (Redis refused it after sets had counted it)', async () => {
    const { cache, changes, published } = watchedCache();
    for (const [run, argument] of [
      [() => cache.set('clinic-settings:main', 1, { ttlMs: 1e306 }), 'options.ttlMs'],
      [() => cache.set('clinic-settings:main', 1, { ttlMs: 2 ** 63 }), 'options.ttlMs'],
      [
        () => cache.set('clinic-settings:main', 1, { ttlMs: MAX_CACHE_TTL_MS + 1 }),
        'options.ttlMs',
      ],
      [() => cache.getOrSet('clinic-settings:main', () => 1, { ttlMs: 1e300 }), 'options.ttlMs'],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { hardTimeoutMs: 2 ** 31 }),
        'options.hardTimeoutMs',
      ],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { lock: { pollMs: Infinity } }),
        'options.lock.pollMs',
      ],
    ] as const) {
      const error = await failureOf(run);
      expect(error, argument).toBeInstanceOf(CacheArgumentError);
      expect((error as CacheArgumentError).argument).toBe(argument);
    }
    expect(changes).toEqual([]);
    expect(published).toEqual([]);
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({ sets: 0, errors: 0 });
    await cache.set('clinic-settings:main', 1, { ttlMs: MAX_CACHE_TTL_MS });
    expect(cache.stats().namespaces['clinic-settings']?.sets).toBe(1);
  });

  it('refuses a namespace that was never configured with a key error when it is an Object.prototype name', async () => {
    const { cache, changes } = watchedCache();
    for (const namespace of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      await expect(cache.set(`${namespace}:x`, 1)).rejects.toThrow(CacheKeyError);
      await expect(cache.get(`${namespace}:x`)).rejects.toThrow(CacheKeyError);
      await expect(cache.getOrSet(`${namespace}:x`, () => 1)).rejects.toThrow(CacheKeyError);
      await expect(cache.delete(`${namespace}:x`)).rejects.toThrow(CacheKeyError);
      await expect(cache.invalidate(`${namespace}:*`)).rejects.toThrow(CacheKeyError);
    }
    expect(changes).toEqual([]);
  });

  it('refuses options with a misspelt or mistyped field when called with them', async () => {
    const { cache, changes } = watchedCache();
    const refusals: [() => Promise<unknown>, string][] = [
      [() => cache.get('clinic-settings:main', { tennant: TENANT } as never), 'options'],
      [() => cache.get('clinic-settings:main', { tenant: 7 } as never), 'options.tenant'],
      [() => cache.set('clinic-settings:main', 1, { ttlMs: 0 }), 'options.ttlMs'],
      [() => cache.set('clinic-settings:main', 1, { ttlMs: Number.NaN }), 'options.ttlMs'],
      [() => cache.set('clinic-settings:main', 1, { tags: [''] }), 'options.tags'],
      [() => cache.set('clinic-settings:main', 1, 'tenant-1' as never), 'options'],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { lock: { pollMs: 0 } }),
        'options.lock.pollMs',
      ],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { lock: [] as never }),
        'options.lock',
      ],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { hardTimeoutMs: -1 }),
        'options.hardTimeoutMs',
      ],
      [() => cache.clear('tenant-1' as never), 'options'],
      [() => cache.invalidateTags('clinic:c1' as never), 'tags'],
    ];
    for (const [run, argument] of refusals) {
      const error = await failureOf(run);
      expect(error).toBeInstanceOf(CacheArgumentError);
      expect((error as CacheArgumentError).argument).toBe(argument);
    }
    expect(changes).toEqual([]);
  });
});

describe('createCacheService options', () => {
  it('refuses malformed options with a CacheConfigError naming the option, never its value (raw TypeErrors, or accepted silently, before)', () => {
    const refusals: [unknown, string][] = [
      [null, '`options`'],
      [{ bus: null }, '`bus`'],
      [{ bus: { connected: true } }, '`bus`'],
      [{ store: {} }, '`store`'],
      [{ namespaces: { x: null } }, '`namespaces.*`'],
      [{ namespaces: { x: { ttlMs: null } } }, '`namespaces.*.ttlMs`'],
      [{ namespaces: { x: { ttlMs: -5 } } }, '`namespaces.*.ttlMs`'],
      [{ namespaces: { x: { ttlMs: 1_000, graceMs: Number.NaN } } }, '`namespaces.*.graceMs`'],
      [{ l1: { maxEntries: 0 } }, '`l1.maxEntries`'],
      [{ keySecret: '' }, '`keySecret`'],
      [{ tenant: 'Circular-Value-Never-Echoed' }, '`tenant`'],
      [{ meter: 42 }, '`meter`'],
      [{ logger: {} }, '`logger`'],
    ];
    for (const [options, option] of refusals) {
      let refusal: unknown;
      try {
        createCacheService(options as never);
      } catch (error: unknown) {
        refusal = error;
      }
      expect(refusal, option).toBeInstanceOf(CacheConfigError);
      expect((refusal as Error).message, option).toContain(option);
      expect((refusal as Error).message).not.toContain('Circular-Value-Never-Echoed');
    }
  });

  it('refuses a tenant option that returns something other than a string when called (it cached under "5" before)', async () => {
    const cache = createCacheService({ tenant: () => 5 as never });
    await expect(cache.set('clinic-settings:main', 1)).rejects.toBeInstanceOf(CacheConfigError);
    expect(cache.stats().namespaces['clinic-settings']?.sets).toBe(0);
  });
});

describe('createCacheDecorators', () => {
  it('refuses null, undefined, a number or a circular object as the cache when created (raw TypeErrors on bad arguments)', () => {
    for (const bad of Object.values(BAD)) {
      expect(() => createCacheDecorators(bad as never)).toThrow(CacheArgumentError);
    }
  });

  it('refuses a bad namespace, key function or ttl when Cacheable is applied, and a key function that returns no string when called', async () => {
    const { cache, changes } = watchedCache();
    const { Cacheable } = createCacheDecorators(cache);
    for (const bad of Object.values(BAD)) {
      expect(() => Cacheable(bad as never, (id: string) => id)).toThrow(CacheArgumentError);
      expect(() => Cacheable('clinic-settings', bad as never)).toThrow(CacheArgumentError);
      // No options is valid.
      if (bad !== undefined) {
        expect(() => Cacheable('clinic-settings', (id: string) => id, bad as never)).toThrow(
          CacheArgumentError,
        );
      }
    }
    const decorate = Cacheable('clinic-settings', (() => undefined) as never);
    const method = decorate(() => Promise.resolve(1), {} as ClassMethodDecoratorContext);
    await expect(method()).rejects.toThrow(CacheArgumentError);
    expect(changes).toEqual([]);
  });

  it('refuses bad arguments to cached when wrapping, and a key that is no string when called', async () => {
    const { cache, changes } = watchedCache();
    const load = (id: string): Promise<string> => Promise.resolve(id);
    const valid = { cache, namespace: 'clinic-settings', key: (id: string) => id };
    for (const bad of Object.values(BAD)) {
      expect(() => cached(bad as never, valid)).toThrow(CacheArgumentError);
      expect(() => cached(load, bad as never)).toThrow(CacheArgumentError);
      expect(() => cached(load, { ...valid, cache: bad as never })).toThrow(CacheArgumentError);
      expect(() => cached(load, { ...valid, key: bad as never })).toThrow(CacheArgumentError);
    }
    const wrapped = cached(load, { ...valid, key: () => 42 as never });
    await expect(wrapped('c1')).rejects.toThrow(CacheArgumentError);
    expect(changes).toEqual([]);
  });
});

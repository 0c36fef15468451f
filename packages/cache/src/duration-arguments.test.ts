import { createFakeClock, ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from './adapters/memory-store.js';
import type { CacheStore } from './cache-store.js';
import { createCacheService } from './cache-service.js';
import { cached } from './decorators/cached.js';
import { createCacheDecorators } from './decorators/cache-decorators.js';
import { CacheArgumentError, CacheConfigError } from './errors.js';

// Every duration of the public API is in milliseconds. Where a bare number was once a ttl in
// seconds (`set`'s third argument, `Cacheable`'s), it is refused with a pointer to `{ ttlMs }`
// rather than read as ms: five minutes must not silently become 0.3 seconds.

const TENANT = 'tenant-Durations-1';

/** A cache whose store records every change. */
function watchedCache() {
  const clock = createFakeClock();
  const inner = memoryCacheStore({ clock });
  const changes: string[] = [];
  const store: CacheStore = {
    ...inner,
    write: (...args) => (changes.push('write'), inner.write(...args)),
    acquireLock: (...args) => (changes.push('lock'), inner.acquireLock(...args)),
  };
  const cache = createCacheService({ clock, store, tenant: () => TENANT });
  return { cache, changes, clock };
}

/** The error a call ended with, thrown or rejected. */
async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the call to be refused');
}

function expectRefused(error: unknown, argument: string): void {
  expect(error, argument).toBeInstanceOf(CacheArgumentError);
  expect(error, argument).toBeInstanceOf(ValidationError);
  expect((error as CacheArgumentError).argument, argument).toBe(argument);
}

describe('durations of the cache API', () => {
  it('refuses a bare number as the options of set with a ValidationError pointing to { ttlMs }, writing nothing', async () => {
    const { cache, changes } = watchedCache();
    const error = await failureOf(() => cache.set('clinic-settings:main', 1, 300 as never));
    expectRefused(error, 'options');
    expect((error as Error).message).toContain('{ ttlMs }');
    expect((error as Error).message).toContain('milliseconds');
    expect(changes).toEqual([]);
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
    expect(cache.stats().namespaces['clinic-settings']?.sets).toBe(0);
  });

  it('keeps a value for the ttlMs given when set with { ttlMs }', async () => {
    const { cache, clock } = watchedCache();
    await cache.set('clinic-settings:main', 1, { ttlMs: 300_000 });
    await clock.advance(299_999);
    expect(await cache.get('clinic-settings:main')).toBe(1);
    await clock.advance(1);
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
  });

  it('refuses a bare number as the options of Cacheable when applied, pointing to { ttlMs }', () => {
    const { cache } = watchedCache();
    const { Cacheable } = createCacheDecorators(cache);
    let error: unknown;
    try {
      Cacheable('clinic-settings', (id: string) => id, 300 as never);
    } catch (caught: unknown) {
      error = caught;
    }
    expectRefused(error, 'options');
    expect((error as Error).message).toContain('{ ttlMs }');
  });

  it('caches a Cacheable method for the ttlMs given', async () => {
    const { cache, clock } = watchedCache();
    const { Cacheable } = createCacheDecorators(cache);
    let calls = 0;
    const decorate = Cacheable('clinic-settings', (id: string) => id, { ttlMs: 60_000 });
    const load = decorate(
      (id: string) => Promise.resolve(`${id}:${(calls += 1)}`),
      {} as ClassMethodDecoratorContext,
    );
    expect(await load('c1')).toBe('c1:1');
    await clock.advance(59_999);
    expect(await load('c1')).toBe('c1:1');
    await clock.advance(1);
    expect(await load('c1')).toBe('c1:2');
  });

  it('refuses a bare number as the options or the lock of getOrSet, pointing to { ttlMs }', async () => {
    const { cache, changes } = watchedCache();
    for (const [run, argument] of [
      [() => cache.getOrSet('clinic-settings:main', () => 1, 300 as never), 'options'],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { lock: 300 as never }),
        'options.lock',
      ],
    ] as const) {
      const error = await failureOf(run);
      expectRefused(error, argument);
      expect((error as Error).message, argument).toContain('{ ttlMs }');
    }
    expect(changes).toEqual([]);
  });

  it('refuses a duration named in seconds or without a unit, naming it and pointing to ttlMs', async () => {
    const { cache, changes } = watchedCache();
    const load = (id: string): Promise<string> => Promise.resolve(id);
    const refusals: [() => unknown, string][] = [
      [() => cache.set('clinic-settings:main', 1, { ttl: 300 } as never), 'options.ttl'],
      [
        () => cache.set('clinic-settings:main', 1, { ttlSeconds: 300 } as never),
        'options.ttlSeconds',
      ],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { ttlSeconds: 300 } as never),
        'options.ttlSeconds',
      ],
      [
        () => cache.getOrSet('clinic-settings:main', () => 1, { lock: { ttl: 300 } as never }),
        'options.lock.ttl',
      ],
      [
        () =>
          cached(load, {
            cache,
            namespace: 'clinic-settings',
            key: (id: string) => id,
            ttlSeconds: 300,
          } as never),
        'options.ttlSeconds',
      ],
      [
        () =>
          createCacheDecorators(cache).Cacheable('clinic-settings', (id: string) => id, {
            ttlSeconds: 300,
          } as never),
        'options.ttlSeconds',
      ],
    ];
    for (const [run, argument] of refusals) {
      const error = await failureOf(run);
      expectRefused(error, argument);
      expect((error as Error).message, argument).toContain('`ttlMs`');
    }
    expect(changes).toEqual([]);
  });

  it('refuses every ms duration of the public API given as a string, a negative or NaN, naming it', async () => {
    const { cache, changes } = watchedCache();
    const { Cacheable } = createCacheDecorators(cache);
    const load = (id: string): Promise<string> => Promise.resolve(id);
    const valid = { cache, namespace: 'clinic-settings', key: (id: string) => id };
    const durations: [string, (ms: unknown) => unknown][] = [
      ['options.ttlMs', (ms) => cache.set('clinic-settings:main', 1, { ttlMs: ms as number })],
      [
        'options.ttlMs',
        (ms) => cache.getOrSet('clinic-settings:main', () => 1, { ttlMs: ms as number }),
      ],
      [
        'options.softTimeoutMs',
        (ms) => cache.getOrSet('clinic-settings:main', () => 1, { softTimeoutMs: ms as number }),
      ],
      [
        'options.hardTimeoutMs',
        (ms) => cache.getOrSet('clinic-settings:main', () => 1, { hardTimeoutMs: ms as number }),
      ],
      [
        'options.lock.ttlMs',
        (ms) => cache.getOrSet('clinic-settings:main', () => 1, { lock: { ttlMs: ms as number } }),
      ],
      [
        'options.lock.waitMs',
        (ms) => cache.getOrSet('clinic-settings:main', () => 1, { lock: { waitMs: ms as number } }),
      ],
      [
        'options.lock.pollMs',
        (ms) => cache.getOrSet('clinic-settings:main', () => 1, { lock: { pollMs: ms as number } }),
      ],
      [
        'options.ttlMs',
        (ms) => Cacheable('clinic-settings', (id: string) => id, { ttlMs: ms as number }),
      ],
      ['options.ttlMs', (ms) => cached(load, { ...valid, ttlMs: ms as number })],
    ];
    for (const [argument, call] of durations) {
      for (const bad of ['300', -1, Number.NaN]) {
        expectRefused(await failureOf(() => call(bad)), argument);
      }
    }
    expect(changes).toEqual([]);
  });

  it('refuses the ttl of a store write or lease given as anything but a positive number of ms', async () => {
    const store = memoryCacheStore();
    const address = { scope: 'scope-1', key: 'key-1', fields: ['n'] };
    for (const bad of ['300', -1, 0, Number.NaN]) {
      expectRefused(await failureOf(() => store.write(address, 'p', bad as never)), 'ttlMs');
      expectRefused(
        await failureOf(() => store.acquireLock('scope-1', 'key-1', bad as never)),
        'ttlMs',
      );
    }
    expect((await store.read(address)).payload).toBeUndefined();
  });

  it('refuses a namespace policy given as a bare number with a CacheConfigError pointing to { ttlMs }', () => {
    for (const namespaces of [{ settings: 300 }, { settings: { ttlSeconds: 300 } }]) {
      let error: unknown;
      try {
        createCacheService({ namespaces: namespaces as never });
      } catch (caught: unknown) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CacheConfigError);
      expect((error as Error).message).toContain('ttlMs');
    }
  });
});

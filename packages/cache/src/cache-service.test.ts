import { createFakeClock } from '@carequeue/core';
import { runWithContext, createRequestContext } from '@carequeue/core/context';
import { describe, expect, it } from 'vitest';
import { memoryCacheBus } from './adapters/memory-bus.js';
import { memoryCacheStore } from './adapters/memory-store.js';
import type { CacheBus, CacheBusMessage } from './cache-bus.js';
import type { CacheStore } from './cache-store.js';
import type { CacheServiceOptions } from './cache-options.js';
import { createCacheService } from './cache-service.js';
import {
  CacheConfigError,
  CacheFactoryTimeoutError,
  CacheKeyError,
  CacheTenantRequiredError,
} from './errors.js';

const TENANT = '0195f0a4-1111-7000-8000-000000000001';
const OTHER = '0195f0a4-2222-7000-8000-000000000002';
const SECRET = 'test-secret-test-secret-test-secret';

function setup(options: CacheServiceOptions = {}) {
  const clock = createFakeClock();
  const store = options.store ?? memoryCacheStore({ clock });
  const cache = createCacheService({ clock, store, tenant: () => TENANT, ...options });
  return { clock, store, cache };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('createCacheService', () => {
  it('publishes a change only after the store confirmed it, without waiting for the bus reply when deleting', async () => {
    const events: string[] = [];
    const inner = memoryCacheStore();
    const store: CacheStore = {
      ...inner,
      async remove(scope, key) {
        await inner.remove(scope, key);
        events.push('removed');
      },
    };
    const sent: CacheBusMessage[] = [];
    const bus: CacheBus = {
      connected: true,
      publish(message) {
        events.push('published');
        sent.push(message);
        // A bus reply that never comes must not hold the caller.
        return new Promise<void>(() => undefined);
      },
      subscribe: () => () => undefined,
    };
    const { cache } = setup({ store, bus });
    await cache.set('clinic-settings:main', 1);
    await cache.delete('clinic-settings:main');
    expect(events).toEqual(['published', 'removed', 'published']);
    expect(sent).toHaveLength(2);
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
  });

  it('completes writes and invalidations when the bus throws or rejects', async () => {
    let calls = 0;
    const bus: CacheBus = {
      connected: true,
      publish() {
        calls += 1;
        if (calls % 2 === 1) throw new Error('bus gone');
        return Promise.reject(new Error('bus gone'));
      },
      subscribe: () => () => undefined,
    };
    const { cache } = setup({ bus });
    await cache.set('clinic-settings:main', 1);
    await cache.delete('clinic-settings:main');
    await cache.invalidate('clinic-settings:*');
    await flush();
    expect(calls).toBe(3);
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
  });

  it('returns a value when it was set, and undefined when it was never set', async () => {
    const { cache } = setup();
    await cache.set('clinic-settings:main', { open: true });
    expect(await cache.get('clinic-settings:main')).toEqual({ open: true });
    expect(await cache.get('clinic-settings:other')).toBeUndefined();
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({
      l1Hits: 1,
      misses: 1,
      sets: 1,
    });
  });

  it('applies the namespace ttl when no ttl is given, and ttlMs when one is given', async () => {
    const { cache, clock } = setup();
    await cache.set('queue-summaries:c1', 1);
    await cache.set('clinic-settings:main', 2, { ttlMs: 5_000 });
    await clock.advance(5_000);
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
    expect(await cache.get('queue-summaries:c1')).toBe(1);
    await clock.advance(25_000);
    expect(await cache.get('queue-summaries:c1')).toBeUndefined();
  });

  it('keeps tenants apart when two tenants use the same key', async () => {
    const { cache } = setup();
    await cache.set('clinic-settings:main', 'a', { tenant: TENANT });
    await cache.set('clinic-settings:main', 'b', { tenant: OTHER });
    expect(await cache.get('clinic-settings:main', { tenant: TENANT })).toBe('a');
    expect(await cache.get('clinic-settings:main', { tenant: OTHER })).toBe('b');
    await cache.clear({ tenant: OTHER });
    expect(await cache.get('clinic-settings:main', { tenant: TENANT })).toBe('a');
    expect(await cache.get('clinic-settings:main', { tenant: OTHER })).toBeUndefined();
  });

  it('reads the tenant from the request context when the call names none', async () => {
    const cache = createCacheService();
    const context = createRequestContext({ tenantId: TENANT });
    await runWithContext(context, () => cache.set('clinic-settings:main', 1));
    expect(await cache.get('clinic-settings:main', { tenant: TENANT })).toBe(1);
    await expect(cache.get('clinic-settings:main')).rejects.toThrow(CacheTenantRequiredError);
  });

  it('throws a key error when the namespace is not configured', async () => {
    const { cache } = setup();
    await expect(cache.get('unknown:1')).rejects.toThrow(CacheKeyError);
    await expect(cache.getOrSet('unknown:1', () => 1)).rejects.toThrow(CacheKeyError);
    await expect(cache.invalidate('unknown:*')).rejects.toThrow(CacheKeyError);
    await expect(cache.invalidate('unknown:a:*')).rejects.toThrow(CacheKeyError);
  });

  it('hands out values other callers cannot change when read from L1', async () => {
    const { cache } = setup();
    const original = { name: 'Main', hours: [9, 17] };
    await cache.set('clinic-settings:main', original);
    original.hours.push(20);
    const first = await cache.get<{ hours: number[] }>('clinic-settings:main');
    expect(first?.hours).toEqual([9, 17]);
    expect(() => first?.hours.push(1)).toThrow(TypeError);
    expect(await cache.get('clinic-settings:main')).toEqual({ name: 'Main', hours: [9, 17] });
  });

  it('runs the factory once when many callers miss the same key at once', async () => {
    const { cache } = setup();
    let calls = 0;
    const factory = async () => {
      calls += 1;
      await Promise.resolve();
      return { at: new Date(0) };
    };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => cache.getOrSet('staff-schedules:w1', factory)),
    );
    expect(calls).toBe(1);
    expect(results.every((result) => result.at.getTime() === 0)).toBe(true);
    expect(await cache.getOrSet('staff-schedules:w1', factory)).toBe(results[0]);
    expect(calls).toBe(1);
  });

  it('drops a namespace, a prefix or one key when invalidated with a pattern', async () => {
    const { cache } = setup();
    await cache.set('queue-summaries:c1:mon', 1);
    await cache.set('queue-summaries:c1:tue', 2);
    await cache.set('queue-summaries:c2:mon', 3);
    await cache.set('clinic-settings:main', 4);
    await cache.invalidate('queue-summaries:c1:*');
    expect(await cache.get('queue-summaries:c1:mon')).toBeUndefined();
    expect(await cache.get('queue-summaries:c1:tue')).toBeUndefined();
    expect(await cache.get('queue-summaries:c2:mon')).toBe(3);
    await cache.invalidate('queue-summaries:c2:mon');
    expect(await cache.get('queue-summaries:c2:mon')).toBeUndefined();
    await cache.invalidate('clinic-settings:*');
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
  });

  it('drops values carrying a tag in every namespace when the tag is invalidated', async () => {
    const { cache } = setup();
    await cache.set('patient-profiles:p1', 'profile', { tags: ['patient:p1'] });
    await cache.set('queue-summaries:c1', 'summary', { tags: ['patient:p1'] });
    await cache.set('queue-summaries:c2', 'other', { tags: ['patient:p2'] });
    await cache.invalidateTags([]);
    await cache.invalidateTags(['patient:p1']);
    expect(await cache.get('patient-profiles:p1')).toBeUndefined();
    expect(await cache.get('queue-summaries:c1')).toBeUndefined();
    expect(await cache.get('queue-summaries:c2')).toBe('other');
  });

  it('does not cache a factory result when an invalidation raced the factory', async () => {
    const { cache } = setup();
    let release: () => void = () => undefined;
    const pending = cache.getOrSet(
      'clinic-settings:main',
      () => new Promise<string>((resolve) => (release = () => resolve('old'))),
    );
    await flush();
    await cache.invalidate('clinic-settings:*');
    release();
    expect(await pending).toBe('old');
    expect(await cache.get('clinic-settings:main')).toBeUndefined();
  });

  it('serves a stale value and refreshes it when within grace of a non-sensitive namespace', async () => {
    const { cache, clock } = setup();
    await cache.getOrSet('clinic-settings:main', () => 'v1');
    await clock.advance(300_000);
    let refreshed = false;
    const value = cache.getOrSet('clinic-settings:main', async () => {
      await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 10));
      refreshed = true;
      return 'v2';
    });
    await flush();
    await clock.advance(0);
    expect(await value).toBe('v1');
    await clock.advance(10);
    await flush();
    expect(refreshed).toBe(true);
    expect(await cache.get('clinic-settings:main')).toBe('v2');
    expect(cache.stats().namespaces['clinic-settings']?.staleHits).toBe(1);
  });

  it('serves the stale value when the refresh fails within grace', async () => {
    const { cache, clock } = setup();
    await cache.getOrSet('staff-schedules:w1', () => 'v1');
    await clock.advance(60_000);
    const value = cache.getOrSet('staff-schedules:w1', () => Promise.reject(new Error('db down')), {
      softTimeoutMs: 50,
    });
    expect(await value).toBe('v1');
  });

  it('never serves stale values when the namespace is sensitive', async () => {
    const namespaces = { 'patient-profiles': { ttlMs: 1_000, sensitive: true, graceMs: 60_000 } };
    const { cache, clock } = setup({ namespaces });
    await cache.getOrSet('patient-profiles:p1', () => 'v1');
    await clock.advance(1_000);
    expect(await cache.getOrSet('patient-profiles:p1', () => 'v2')).toBe('v2');
  });

  it('rejects with a timeout error when the factory passes its hard timeout', async () => {
    const { cache, clock } = setup();
    const pending = cache.getOrSet(
      'clinic-settings:main',
      () => new Promise<string>(() => undefined),
      {
        hardTimeoutMs: 100,
      },
    );
    const outcome = expect(pending).rejects.toThrow(CacheFactoryTimeoutError);
    await flush();
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(100);
    await outcome;
    expect(cache.stats().namespaces['clinic-settings']?.errors).toBe(1);
  });

  it('clears the hard timeout once the factory answers, leaving no timer behind', async () => {
    const { cache, clock } = setup();
    const value = await cache.getOrSet('clinic-settings:main', () => Promise.resolve('v1'), {
      hardTimeoutMs: 60_000,
    });
    expect(value).toBe('v1');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets one caller compute while another waits for its value when the lock is on', async () => {
    const clock = createFakeClock();
    const store = memoryCacheStore({ clock });
    const a = createCacheService({ clock, store, keySecret: SECRET, tenant: () => TENANT });
    const b = createCacheService({ clock, store, keySecret: SECRET, tenant: () => TENANT });
    let calls = 0;
    let release: () => void = () => undefined;
    const slow = () =>
      new Promise<string>((resolve) => {
        calls += 1;
        release = () => resolve('computed');
      });
    const first = a.getOrSet('staff-schedules:w1', slow, { lock: true });
    await flush();
    const second = b.getOrSet('staff-schedules:w1', slow, { lock: { waitMs: 1_000, pollMs: 10 } });
    await flush();
    // The waiting caller polls on a timer it awaits, which keeps the process alive.
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(10);
    release();
    await flush();
    await clock.advance(10);
    expect(await first).toBe('computed');
    expect(await second).toBe('computed');
    expect(calls).toBe(1);
  });

  it('computes anyway when the lock holder does not finish within the wait', async () => {
    const clock = createFakeClock();
    const store = memoryCacheStore({ clock });
    const cache = createCacheService({ clock, store, keySecret: SECRET, tenant: () => TENANT });
    await store.acquireLock(`${TENANT}:clinic-settings`, 'unused', 1);
    const pending = cache.getOrSet('clinic-settings:main', () => 'mine', { lock: true });
    await flush();
    expect(await pending).toBe('mine');
    const other = createCacheService({ clock, store, keySecret: SECRET, tenant: () => TENANT });
    const held = other.getOrSet('clinic-settings:x', () => new Promise<string>(() => undefined), {
      lock: true,
    });
    void held;
    await flush();
    const waiting = cache.getOrSet('clinic-settings:x', () => 'late', {
      lock: { waitMs: 50, pollMs: 25 },
    });
    await flush();
    await clock.advance(25);
    await clock.advance(25);
    expect(await waiting).toBe('late');
  });

  it('drops L1 copies on other instances when the bus delivers an invalidation', async () => {
    const clock = createFakeClock();
    const store = memoryCacheStore({ clock });
    const bus = memoryCacheBus();
    const a = createCacheService({ clock, store, bus, keySecret: SECRET, tenant: () => TENANT });
    const b = createCacheService({ clock, store, bus, keySecret: SECRET, tenant: () => TENANT });
    await a.set('clinic-settings:main', 'v1', { tags: ['clinic:1'] });
    await a.set('queue-summaries:c1:mon', 's1');
    expect(await b.get('clinic-settings:main')).toBe('v1');
    expect(await b.get('queue-summaries:c1:mon')).toBe('s1');
    await a.set('clinic-settings:main', 'v2', { tags: ['clinic:1'] });
    await flush();
    expect(await b.get('clinic-settings:main')).toBe('v2');
    await a.invalidateTags(['clinic:1']);
    await a.invalidate('queue-summaries:c1:*');
    await flush();
    expect(await b.get('clinic-settings:main')).toBeUndefined();
    expect(await b.get('queue-summaries:c1:mon')).toBeUndefined();
    a.close();
    b.close();
  });

  it('stops using L1 for sensitive namespaces while the bus is down', async () => {
    const clock = createFakeClock();
    const store = memoryCacheStore({ clock });
    const bus = memoryCacheBus();
    const cache = createCacheService({
      clock,
      store,
      bus,
      keySecret: SECRET,
      tenant: () => TENANT,
    });
    await cache.set('patient-profiles:p1', 'profile');
    await cache.set('clinic-settings:main', 'settings');
    bus.disconnect();
    expect(cache.stats().l1.entries).toBe(1);
    expect(await cache.get('patient-profiles:p1')).toBe('profile');
    expect(cache.stats().namespaces['patient-profiles']).toMatchObject({ l1Hits: 0, l2Hits: 1 });
    bus.reconnect();
    expect(cache.stats().l1.entries).toBe(0);
  });

  it('keeps answering from the factory when the store fails', async () => {
    const failing: CacheStore = {
      ...memoryCacheStore(),
      read: () => Promise.reject(new Error('down')),
      write: () => Promise.reject(new Error('down')),
    };
    const { cache } = setup({ store: failing });
    expect(await cache.getOrSet('clinic-settings:main', () => 'fresh')).toBe('fresh');
    expect(cache.stats().namespaces['clinic-settings']?.errors).toBe(2);
  });

  it('computes the value again when the stored payload does not decode', async () => {
    const damaged: CacheStore = {
      ...memoryCacheStore(),
      read: () => Promise.resolve({ payload: '1|2|{not json', stamp: '0', fields: ['n'] }),
    };
    const { cache } = setup({ store: damaged });
    expect(await cache.getOrSet('clinic-settings:main', () => 'fresh')).toBe('fresh');
    expect(await cache.get('queue-summaries:main')).toBeUndefined();
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({
      errors: 1,
      factoryCalls: 1,
    });
  });

  it('refuses shared stores or buses without a key secret, and sensitive data without an encryptor', () => {
    const shared: CacheStore = { ...memoryCacheStore(), shared: true };
    expect(() => createCacheService({ store: shared })).toThrow(CacheConfigError);
    expect(() => createCacheService({ store: shared, keySecret: 'x'.repeat(32) })).toThrow(
      CacheConfigError,
    );
    expect(() => createCacheService({ namespaces: { 'a:b': { ttlMs: 1 } } })).toThrow(
      CacheConfigError,
    );
  });

  it('reports the hit rate per namespace when reads hit and miss', async () => {
    const { cache } = setup();
    expect(cache.stats().namespaces['clinic-settings']?.hitRate).toBe(0);
    await cache.getOrSet('clinic-settings:main', () => 1);
    await cache.get('clinic-settings:main');
    await cache.delete('clinic-settings:main');
    expect(cache.stats().namespaces['clinic-settings']).toMatchObject({
      hitRate: 0.5,
      invalidations: 1,
      factoryCalls: 1,
    });
  });
});

import { requireRedis, useTestRedis, waitUntil } from '@carequeue/test-harness';
import { afterEach, describe, expect, it } from 'vitest';
import { startInstances, type Instances } from './instances.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('CacheService across instances', () => {
  const keys = useTestRedis();
  let instances: Instances | undefined;
  afterEach(async () => {
    await instances?.close();
    instances = undefined;
  });

  it('serves the new value on the other instances when one updates a key', async () => {
    instances = await startInstances(keys, 3);
    const [a, b, c] = instances.caches;
    await a!.set('clinic-settings:main', { v: 1 });
    expect(await b!.get('clinic-settings:main')).toEqual({ v: 1 });
    expect(await c!.get('clinic-settings:main')).toEqual({ v: 1 });
    await a!.set('clinic-settings:main', { v: 2 });
    await waitUntil(async () => (await b!.get<{ v: number }>('clinic-settings:main'))?.v === 2, {
      timeoutMs: 10_000,
    });
    await waitUntil(async () => (await c!.get<{ v: number }>('clinic-settings:main'))?.v === 2, {
      timeoutMs: 10_000,
    });
    await a!.delete('clinic-settings:main');
    // Each instance drops its copy when its own bus message arrives, so each is waited for.
    for (const cache of [b!, c!]) {
      await waitUntil(async () => (await cache.get('clinic-settings:main')) === undefined, {
        timeoutMs: 10_000,
      });
    }
  });

  it('stops serving tagged and pattern-matched values on the other instances when invalidated on one', async () => {
    instances = await startInstances(keys, 3);
    const [a, b, c] = instances.caches;
    await a!.set('queue-summaries:c1:mon', 's1', { tags: ['clinic:c1'] });
    await a!.set('staff-schedules:c1:w1', 'w1', { tags: ['clinic:c1'] });
    await a!.set('queue-summaries:c2:mon', 's2');
    for (const cache of [b!, c!]) {
      expect(await cache.get('queue-summaries:c1:mon')).toBe('s1');
      expect(await cache.get('staff-schedules:c1:w1')).toBe('w1');
      expect(await cache.get('queue-summaries:c2:mon')).toBe('s2');
    }
    await a!.invalidateTags(['clinic:c1']);
    for (const cache of [b!, c!]) {
      await waitUntil(async () => (await cache.get('staff-schedules:c1:w1')) === undefined, {
        timeoutMs: 10_000,
      });
      expect(await cache.get('queue-summaries:c1:mon')).toBeUndefined();
      expect(await cache.get('queue-summaries:c2:mon')).toBe('s2');
    }
    await a!.invalidate('queue-summaries:*');
    for (const cache of [b!, c!]) {
      await waitUntil(async () => (await cache.get('queue-summaries:c2:mon')) === undefined, {
        timeoutMs: 10_000,
      });
    }
  });

  it('runs the factory at most once per instance when 1,000 callers miss a cold key', async () => {
    instances = await startInstances(keys, 3);
    let calls = 0;
    const factory = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { computed: true };
    };
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        instances!.caches[i % 3]!.getOrSet('staff-schedules:cold', factory),
      ),
    );
    expect(calls).toBeLessThanOrEqual(3);
    expect(results.every((result) => result.computed)).toBe(true);
  });

  it('runs the factory once across instances when 1,000 callers miss a cold key with the lock on', async () => {
    instances = await startInstances(keys, 3);
    let calls = 0;
    const factory = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { computed: true };
    };
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        instances!.caches[i % 3]!.getOrSet('staff-schedules:locked', factory, {
          lock: { waitMs: 10_000, pollMs: 10 },
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(results.every((result) => result.computed)).toBe(true);
  });
});

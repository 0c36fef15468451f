import { createFakeClock, silentLogger } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from '../adapters/memory-store.js';
import { emptyCounters } from '../cache-stats.js';
import { CacheFactoryTimeoutError } from '../errors.js';
import { createKeyHasher } from '../key-hasher.js';
import { createFailedWriteReporter } from './failed-write-log.js';
import { createKeyResolver } from './key-resolver.js';
import { createL1Tier } from './l1-tier.js';
import { createL2Tier } from './l2-tier.js';
import { createLoader, rejectAfter } from './loader.js';
import { envelopeValue } from './value-envelope.js';
import { createValueSealing } from './value-sealing.js';

function loaderWith(graceMs = 0) {
  const clock = createFakeClock();
  const store = memoryCacheStore({ clock });
  const keys = createKeyResolver({
    namespaces: { settings: { ttlMs: 1_000, graceMs } },
    hash: createKeyHasher('loader-secret'),
    defaultTenant: () => 'tenant-1',
    counters: new Map([['settings', emptyCounters()]]),
  });
  const l1 = createL1Tier({ clock, maxEntries: 100, maxBytes: 1_000_000, busDown: false });
  const l2 = createL2Tier({
    store,
    guard: undefined,
    clock,
    l1,
    sealing: createValueSealing(undefined),
    reportFailedWrite: createFailedWriteReporter(clock, silentLogger),
  });
  const loader = createLoader({ clock, store, keys, l1, l2 });
  return { clock, store, keys, l1, loader, resolved: keys.resolveKey('settings:main', undefined) };
}

/** A factory that answers when the test releases it, counting its runs. */
function gatedFactory() {
  const waiting: ((value: string) => void)[] = [];
  return {
    factory: () => new Promise<string>((resolve) => waiting.push(resolve)),
    release: (value: string) => {
      for (const resolve of waiting) resolve(value);
    },
    runs: () => waiting.length,
  };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('createLoader', () => {
  it('shares one load between calls for a key, and starts another once the scope was invalidated', async () => {
    const { loader, l1, resolved } = loaderWith();
    const gated = gatedFactory();
    const first = loader.loadOnce(resolved, gated.factory, {});
    const second = loader.loadOnce(resolved, gated.factory, {});
    await flush();
    expect(gated.runs()).toBe(1);
    l1.dropCopies(resolved.scope, ['n'], []);
    const third = loader.loadOnce(resolved, gated.factory, {});
    await flush();
    expect(gated.runs()).toBe(2);
    gated.release('v');
    expect(await Promise.all([first, second, third])).toEqual(['v', 'v', 'v']);
  });

  it('takes a fresh value of the shared tier without running the factory', async () => {
    const { loader, resolved, clock } = loaderWith();
    await loader.loadOnce(resolved, () => 'stored', {});
    let runs = 0;
    expect(await loader.loadOnce(resolved, () => `run ${(runs += 1)}`, {})).toBe('stored');
    expect(runs).toBe(0);
    expect(resolved.counters).toMatchObject({ l2Hits: 1, misses: 1, factoryCalls: 1 });
    await clock.advance(1_000);
    expect(await loader.loadOnce(resolved, () => 'fresh', {})).toBe('fresh');
  });

  it('serves a stale value within grace when the refresh takes longer than the soft timeout', async () => {
    const { loader, resolved, clock } = loaderWith(5_000);
    await loader.loadOnce(resolved, () => 'old', {});
    await clock.advance(1_500);
    const gated = gatedFactory();
    const answer = loader.loadOnce(resolved, gated.factory, { softTimeoutMs: 100 });
    await flush();
    await clock.advance(100);
    expect(await answer).toBe('old');
    expect(resolved.counters.staleHits).toBe(1);
    gated.release('new');
    await flush();
    expect(await loader.loadOnce(resolved, () => 'unused', {})).toBe('new');
  });

  it('waits for the lock holder and takes its value instead of running the factory', async () => {
    const { loader, resolved, store, clock } = loaderWith();
    const holder = await store.acquireLock(resolved.scope, resolved.hashedKey, 10_000);
    expect(holder).toBeDefined();
    let runs = 0;
    const waiting = loader.loadOnce(resolved, () => `run ${(runs += 1)}`, {
      lock: { waitMs: 1_000, pollMs: 50 },
    });
    await flush();
    await store.write(
      resolved.address,
      envelopeValue('held', clock.now(), 1_000, 0).envelope,
      1_000,
    );
    await clock.advance(50);
    expect(await waiting).toBe('held');
    expect(runs).toBe(0);
  });

  it('rejects with a factory timeout when the work outlasts it, and clears its timer either way', async () => {
    const clock = createFakeClock();
    const slow = rejectAfter(clock, new Promise<never>(() => undefined), 100);
    await clock.advance(100);
    await expect(slow).rejects.toBeInstanceOf(CacheFactoryTimeoutError);
    expect(await rejectAfter(clock, Promise.resolve(1), 100)).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

import { createFakeClock, silentLogger } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from '../adapters/memory-store.js';
import type { StoreGuard } from '../cache-options.js';
import type { CacheStore } from '../cache-store.js';
import { createFailedWriteReporter } from './failed-write-log.js';
import { createL1Tier } from './l1-tier.js';
import { createL2Tier } from './l2-tier.js';
import { resolvedKeyFor } from './test-keys.js';
import { envelopeValue } from './value-envelope.js';
import { createValueSealing } from './value-sealing.js';

function tiers(store: CacheStore, guard?: StoreGuard) {
  const clock = createFakeClock();
  const l1 = createL1Tier({ clock, maxEntries: 100, maxBytes: 1_000_000, busDown: false });
  const l2 = createL2Tier({
    store,
    guard,
    clock,
    l1,
    sealing: createValueSealing(undefined),
    reportFailedWrite: createFailedWriteReporter(clock, silentLogger),
  });
  return { clock, l1, l2 };
}

const failing = (): Promise<never> => Promise.reject(new Error('down'));

describe('createL2Tier', () => {
  it('stores a value, keeps it in L1 and counts the set when the store takes it', async () => {
    const { clock, l1, l2 } = tiers(memoryCacheStore());
    const key = resolvedKeyFor('s1', 'k1');
    const enveloped = envelopeValue('v', clock.now(), 1_000, 0);
    expect(await l2.writeThrough(key, key.address, enveloped, undefined, undefined)).toBe(
      enveloped.cached,
    );
    expect(key.counters).toMatchObject({ sets: 1, l2Calls: 1 });
    expect(l1.readFresh(key)?.value).toBe('v');
    expect((await l2.read(key, key.address, undefined)).value?.value).toBe('v');
  });

  it('neither counts nor keeps in L1 a write the store skipped because a generation moved since its stamp', async () => {
    const store = memoryCacheStore();
    const { clock, l1, l2 } = tiers(store);
    const key = resolvedKeyFor('s1', 'k1');
    const { stamp } = await l2.read(key, key.address, undefined);
    await store.bump('s1', ['n']);
    await l2.writeThrough(
      key,
      key.address,
      envelopeValue('v', clock.now(), 1_000, 0),
      stamp,
      undefined,
    );
    expect(key.counters.sets).toBe(0);
    expect(l1.readFresh(key)).toBeUndefined();
  });

  it('reads a failing store as a miss and goes on after a failing write, counting both and reporting the write', async () => {
    const store: CacheStore = { ...memoryCacheStore(), read: failing, write: failing };
    const { clock, l1, l2 } = tiers(store);
    const key = resolvedKeyFor('s1', 'k1');
    expect(await l2.read(key, key.address, undefined)).toEqual({
      stamp: undefined,
      fields: ['n'],
      value: undefined,
    });
    await l2.writeThrough(
      key,
      key.address,
      envelopeValue('v', clock.now(), 1_000, 0),
      undefined,
      undefined,
    );
    expect(key.counters).toMatchObject({ errors: 2, l2WriteFailures: 1, sets: 0, l2Calls: 2 });
    // The value still serves this instance from L1.
    expect(l1.readFresh(key)?.value).toBe('v');
  });

  it('runs every store call through the guard, and treats a guard that throws as a failed call', async () => {
    const guarded: string[] = [];
    const guard: StoreGuard = {
      execute(operation) {
        guarded.push('call');
        if (guarded.length > 1) throw new Error('open');
        return operation();
      },
    };
    const { l2 } = tiers(memoryCacheStore(), guard);
    const key = resolvedKeyFor('s1', 'k1');
    expect(await l2.callStore(key, () => Promise.resolve('ok'))).toBe('ok');
    expect(await l2.callStore(key, () => Promise.resolve('ok'), 'bump')).toBeUndefined();
    expect(guarded).toEqual(['call', 'call']);
    expect(key.counters).toMatchObject({ errors: 1, l2WriteFailures: 1 });
  });
});

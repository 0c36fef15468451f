import { createFakeClock, silentLogger } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryCacheBus } from '../adapters/memory-bus.js';
import { memoryCacheStore } from '../adapters/memory-store.js';
import type { CacheStore } from '../cache-store.js';
import { emptyCounters } from '../cache-stats.js';
import { CacheKeyError } from '../errors.js';
import { createKeyHasher } from '../key-hasher.js';
import { createFailedWriteReporter } from './failed-write-log.js';
import { createInvalidation } from './invalidation.js';
import { createKeyResolver } from './key-resolver.js';
import { createL1Tier } from './l1-tier.js';
import { createL2Tier } from './l2-tier.js';
import { envelopeValue } from './value-envelope.js';
import { createValueSealing } from './value-sealing.js';

const TENANT = 'tenant-Invalidation-1';

/** One instance's invalidation over a shared store and bus, with the fields it bumped. */
function instance(store: CacheStore, bus = memoryCacheBus(), instanceId = 'i-1') {
  const clock = createFakeClock();
  const bumped: string[][] = [];
  const recording: CacheStore = {
    ...store,
    bump: (scope, fields) => (bumped.push([...fields]), store.bump(scope, fields)),
  };
  const keys = createKeyResolver({
    namespaces: { a: { ttlMs: 60_000 }, b: { ttlMs: 60_000 } },
    hash: createKeyHasher('invalidation-secret'),
    defaultTenant: () => TENANT,
    counters: new Map([
      ['a', emptyCounters()],
      ['b', emptyCounters()],
    ]),
  });
  const l1 = createL1Tier({ clock, maxEntries: 100, maxBytes: 1_000_000, busDown: false });
  const l2 = createL2Tier({
    store: recording,
    guard: undefined,
    clock,
    l1,
    sealing: createValueSealing(undefined),
    reportFailedWrite: createFailedWriteReporter(clock, silentLogger),
  });
  const invalidation = createInvalidation({ store: recording, bus, instanceId, keys, l1, l2 });
  const keep = (key: string, tags: readonly string[] = []) => {
    const resolved = keys.resolveKey(key, undefined);
    const address = keys.addressWith(resolved, TENANT, tags, undefined);
    l1.keepIfCurrent(
      resolved,
      address.fields,
      envelopeValue(key, clock.now(), 60_000, 0).cached,
      l1.epochOf(resolved.scope),
    );
    return () => l1.readFresh(resolved)?.value;
  };
  return { invalidation, keys, bumped, keep, bus };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('createInvalidation', () => {
  it('moves one generation per namespace for a tenant, a namespace or a prefix, never touching values one by one', async () => {
    const { invalidation, keys, bumped } = instance(memoryCacheStore());
    const noKey = () => Promise.reject(new Error('not a key pattern'));
    await invalidation.invalidatePattern('*', undefined, noKey);
    await invalidation.invalidatePattern('a:*', undefined, noKey);
    await invalidation.invalidatePattern('a:clinic_1:*', undefined, noKey);
    const scope = keys.scopeOf(TENANT, 'a');
    expect(bumped).toEqual([['n'], ['n'], ['n'], [keys.prefixField(scope, 'clinic_1')]]);
    expect(keys.countersOf('a').invalidations).toBe(3);
    await expect(invalidation.invalidatePattern('c:*', undefined, noKey)).rejects.toThrow(
      CacheKeyError,
    );
  });

  it('hands a key pattern to deleteKey, and drops tags and subjects in every namespace', async () => {
    const { invalidation, keys, bumped } = instance(memoryCacheStore());
    let deleted = 0;
    await invalidation.invalidatePattern('a:main', undefined, () => {
      deleted += 1;
      return Promise.resolve();
    });
    expect(deleted).toBe(1);
    await invalidation.invalidateTags(TENANT, ['clinic:c1']);
    await invalidation.invalidateTags(TENANT, []);
    await invalidation.eraseSubject(TENANT, 'pat_1');
    const tag = keys.tagFields(TENANT, ['clinic:c1']);
    const subject = [keys.subjectField(TENANT, 'pat_1')];
    expect(bumped).toEqual([tag, tag, subject, subject]);
  });

  it('drops the copies another instance announces, and ignores its own announcements', async () => {
    const store = memoryCacheStore();
    const bus = memoryCacheBus();
    const one = instance(store, bus, 'i-1');
    const two = instance(store, bus, 'i-2');
    const tagged = two.keep('a:tagged', ['clinic:c1']);
    const deleted = two.keep('b:main');
    const own = one.keep('b:main');
    await one.invalidation.invalidateTags(TENANT, ['clinic:c1']);
    one.invalidation.announceKeyChange(one.keys.resolveKey('b:main', undefined));
    await flush();
    expect(tagged()).toBeUndefined();
    expect(deleted()).toBeUndefined();
    expect(own()).toBe('b:main');
    two.invalidation.stopFollowingBus();
    const later = two.keep('b:main');
    one.invalidation.announceKeyChange(one.keys.resolveKey('b:main', undefined));
    await flush();
    expect(later()).toBe('b:main');
  });
});

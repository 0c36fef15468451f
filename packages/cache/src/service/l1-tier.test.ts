import { createFakeClock } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import type { ResolvedKey } from './key-resolver.js';
import { createL1Tier } from './l1-tier.js';
import { resolvedKeyFor } from './test-keys.js';
import { envelopeValue } from './value-envelope.js';

function tier(busDown = false) {
  const clock = createFakeClock();
  const l1 = createL1Tier({ clock, maxEntries: 100, maxBytes: 1_000_000, busDown });
  const keep = (resolved: ResolvedKey, value: unknown, fields: readonly string[] = ['n']) =>
    l1.keepIfCurrent(
      resolved,
      fields,
      envelopeValue(value, clock.now(), resolved.policy.ttlMs, 0).cached,
      l1.epochOf(resolved.scope),
    );
  return { clock, l1, keep };
}

describe('createL1Tier', () => {
  it('serves a kept value until it is no longer fresh', async () => {
    const { clock, l1, keep } = tier();
    const key = resolvedKeyFor('s1', 'k1');
    keep(key, 'v');
    expect(l1.readFresh(key)?.value).toBe('v');
    await clock.advance(1_000);
    expect(l1.readFresh(key)).toBeUndefined();
    expect(l1.entries).toBe(0);
  });

  it('does not keep a value read before its scope was invalidated', () => {
    const { clock, l1 } = tier();
    const key = resolvedKeyFor('s1', 'k1');
    const epoch = l1.epochOf('s1');
    l1.dropCopies('s1', ['n'], []);
    l1.keepIfCurrent(key, ['n'], envelopeValue('v', clock.now(), 1_000, 0).cached, epoch);
    expect(l1.readFresh(key)).toBeUndefined();
  });

  it('drops the copies depending on a moved field, or named by key, in that scope only', () => {
    const { l1, keep } = tier();
    const tagged = resolvedKeyFor('s1', 'k1');
    const untagged = resolvedKeyFor('s1', 'k2');
    const elsewhere = resolvedKeyFor('s2', 'k1');
    keep(tagged, 1, ['n', 't:x']);
    keep(untagged, 2);
    keep(elsewhere, 3, ['n', 't:x']);
    l1.dropCopies('s1', ['t:x'], []);
    expect(l1.readFresh(tagged)).toBeUndefined();
    expect(l1.readFresh(untagged)?.value).toBe(2);
    expect(l1.readFresh(elsewhere)?.value).toBe(3);
    l1.dropCopies('s1', [], ['k2']);
    expect(l1.readFresh(untagged)).toBeUndefined();
  });

  it('bypasses and drops sensitive copies while the bus is down, and drops everything when it is back', () => {
    const { l1, keep } = tier();
    const sensitive = resolvedKeyFor('s1', 'k1', { ttlMs: 1_000, sensitive: true });
    const plain = resolvedKeyFor('s1', 'k2');
    keep(sensitive, 1);
    keep(plain, 2);
    l1.followBusConnection(false);
    expect(l1.readFresh(sensitive)).toBeUndefined();
    keep(sensitive, 1);
    expect(l1.readFresh(sensitive)).toBeUndefined();
    expect(l1.readFresh(plain)?.value).toBe(2);
    l1.followBusConnection(true);
    expect(l1.readFresh(plain)).toBeUndefined();
    keep(sensitive, 1);
    expect(l1.readFresh(sensitive)?.value).toBe(1);
  });

  it('starts bypassing sensitive namespaces when created with the bus down, and never keeps a namespace with l1 off', () => {
    const { l1, keep } = tier(true);
    const sensitive = resolvedKeyFor('s1', 'k1', { ttlMs: 1_000, sensitive: true });
    const off = resolvedKeyFor('s1', 'k2', { ttlMs: 1_000, l1: false });
    keep(sensitive, 1);
    keep(off, 2);
    expect(l1.readFresh(sensitive)).toBeUndefined();
    expect(l1.readFresh(off)).toBeUndefined();
    expect(l1.entries).toBe(0);
  });
});

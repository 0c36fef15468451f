import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../cache-stats.js';
import { CacheConfigError, CacheKeyError, CacheTenantRequiredError } from '../errors.js';
import { createKeyHasher } from '../key-hasher.js';
import { createKeyResolver } from './key-resolver.js';

const TENANT = 'tenant-Resolver-1';

function resolverFor(defaultTenant: () => unknown = () => TENANT) {
  const counters = new Map([['clinic-settings', emptyCounters()]]);
  const keys = createKeyResolver({
    namespaces: { 'clinic-settings': { ttlMs: 60_000 } },
    hash: createKeyHasher('resolver-secret'),
    defaultTenant: defaultTenant as () => string | undefined,
    counters,
  });
  return { keys, counters };
}

describe('createKeyResolver', () => {
  it('resolves a key once per tenant and hands out the same resolution after', () => {
    const { keys, counters } = resolverFor();
    const first = keys.resolveKey('clinic-settings:main', undefined);
    expect(keys.resolveKey('clinic-settings:main', undefined)).toBe(first);
    expect(keys.resolveKey('clinic-settings:main', { tenant: 'other-tenant' })).not.toBe(first);
    expect(first.counters).toBe(counters.get('clinic-settings'));
    expect(first.address).toEqual({ scope: first.scope, key: first.hashedKey, fields: ['n'] });
  });

  it('names the tenant, the namespace id and the prefix only as keyed HMACs', () => {
    const { keys } = resolverFor();
    const resolved = keys.resolveKey('clinic-settings:clinic_1:main', undefined);
    const visible = JSON.stringify([resolved.scope, resolved.hashedKey, resolved.baseFields]);
    for (const secret of [TENANT, 'clinic_1', 'main']) expect(visible).not.toContain(secret);
    expect(resolved.scope.endsWith(':clinic-settings')).toBe(true);
    expect(resolved.baseFields).toEqual(['n', keys.prefixField(resolved.scope, 'clinic_1')]);
  });

  it('adds tag and subject fields to the address when a call names them, and keeps the memoized one when not', () => {
    const { keys } = resolverFor();
    const resolved = keys.resolveKey('clinic-settings:main', undefined);
    expect(keys.addressWith(resolved, TENANT, [], undefined)).toBe(resolved.address);
    const tagged = keys.addressWith(resolved, TENANT, ['clinic:c1'], 'pat_1');
    expect(tagged.fields).toEqual([
      'n',
      ...keys.tagFields(TENANT, ['clinic:c1']),
      keys.subjectField(TENANT, 'pat_1'),
    ]);
    expect(keys.subjectField(TENANT, 'pat_1')).not.toBe(keys.subjectField('other', 'pat_1'));
  });

  it('refuses a missing tenant, a tenant outside its alphabet, and a tenant option returning no string', () => {
    expect(() => resolverFor(() => undefined).keys.tenantOfCall(undefined)).toThrow(
      CacheTenantRequiredError,
    );
    expect(() => resolverFor().keys.tenantOfCall({ tenant: 'a:b' })).toThrow(CacheKeyError);
    expect(() => resolverFor(() => 5).keys.tenantOfCall(undefined)).toThrow(CacheConfigError);
  });

  it('refuses a namespace that is not configured, Object.prototype names included', () => {
    const { keys } = resolverFor();
    for (const namespace of ['unknown', 'constructor', '__proto__']) {
      expect(() => keys.requirePolicy(namespace)).toThrow(CacheKeyError);
    }
    expect(keys.namespaceNames).toEqual(['clinic-settings']);
  });
});

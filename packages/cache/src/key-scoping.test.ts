import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCacheService } from './cache-service.js';
import { CacheKeyError } from './errors.js';

const id = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => !text.includes('*'));
const tenant = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

describe('key scoping', () => {
  it('never shows a value to another tenant or under another key when keys are arbitrary', async () => {
    await fc.assert(
      fc.asyncProperty(tenant, tenant, id, id, async (tenantA, tenantB, idA, idB) => {
        fc.pre(tenantA !== tenantB && idA !== idB);
        const cache = createCacheService();
        await cache.set(`clinic-settings:${idA}`, 'a', { tenant: tenantA });
        expect(await cache.get(`clinic-settings:${idA}`, { tenant: tenantA })).toBe('a');
        expect(await cache.get(`clinic-settings:${idA}`, { tenant: tenantB })).toBeUndefined();
        expect(await cache.get(`clinic-settings:${idB}`, { tenant: tenantA })).toBeUndefined();
        await cache.invalidate('*', { tenant: tenantB });
        expect(await cache.get(`clinic-settings:${idA}`, { tenant: tenantA })).toBe('a');
      }),
      { numRuns: 200 },
    );
  });

  it('throws a key error when a tenant holds characters outside its alphabet', async () => {
    const cache = createCacheService();
    for (const bad of ['a:b', 'a{b}', 'a b', 'x'.repeat(129)]) {
      await expect(cache.get('clinic-settings:main', { tenant: bad })).rejects.toThrow(
        CacheKeyError,
      );
    }
  });
});

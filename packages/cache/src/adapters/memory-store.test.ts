import { createFakeClock } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { cacheStoreContract } from '../testing/index.js';
import { memoryCacheStore } from './memory-store.js';

cacheStoreContract({
  name: 'memoryCacheStore',
  create: () => memoryCacheStore(),
  describe,
  it,
  expect,
});

describe('memoryCacheStore', () => {
  it('stops serving a value when its ttl passed', async () => {
    const clock = createFakeClock();
    const store = memoryCacheStore({ clock });
    const at = { scope: 's', key: 'k', fields: ['n'] };
    await store.write(at, 'v', 1_000);
    await clock.advance(999);
    expect((await store.read(at)).payload).toBe('v');
    await clock.advance(1);
    expect((await store.read(at)).payload).toBeUndefined();
  });

  it('grants an expired lock to a new holder when its ttl passed', async () => {
    const clock = createFakeClock();
    const store = memoryCacheStore({ clock });
    expect(await store.acquireLock('s', 'k', 100)).toBeTypeOf('string');
    await clock.advance(100);
    expect(await store.acquireLock('s', 'k', 100)).toBeTypeOf('string');
  });
});

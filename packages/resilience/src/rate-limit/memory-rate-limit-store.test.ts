import { createFakeClock } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { runRateLimitStoreContract } from '../testing/index.js';
import { memoryRateLimitStore } from './memory-rate-limit-store.js';

runRateLimitStoreContract({
  name: 'memoryRateLimitStore',
  create: () => memoryRateLimitStore(),
  describe,
  it,
  expect,
});

describe('memoryRateLimitStore', () => {
  it('reads time from its clock when a request carries no time', async () => {
    const clock = createFakeClock();
    const store = memoryRateLimitStore({ clock });
    const limit = { key: 'k', capacity: 1, refillMs: 1000 };
    await store.consume({ buckets: [limit], cost: 1 });
    expect((await store.consume({ buckets: [limit], cost: 1 })).allowed).toBe(false);
    await clock.advance(1000);
    expect((await store.consume({ buckets: [limit], cost: 1 })).allowed).toBe(true);
  });

  it('keeps depleted buckets when it drops idle ones past maxKeys', async () => {
    const clock = createFakeClock();
    const store = memoryRateLimitStore({ clock, maxKeys: 2 });
    const slow = { key: 'slow', capacity: 1, refillMs: 60_000 };
    await store.consume({ buckets: [slow], cost: 1 });
    await store.consume({ buckets: [{ key: 'a', capacity: 1, refillMs: 10 }], cost: 1 });
    await clock.advance(20);
    await store.consume({ buckets: [{ key: 'b', capacity: 1, refillMs: 10 }], cost: 1 });
    expect((await store.consume({ buckets: [slow], cost: 1 })).allowed).toBe(false);
  });
});

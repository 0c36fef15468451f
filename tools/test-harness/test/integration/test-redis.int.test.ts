import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  createTestRedis,
  deleteKeysWithPrefix,
  FixtureNotReadyError,
  redisUrl,
  requireRedis,
  useTestRedis,
} from '../../src/index.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('useTestRedis', () => {
  const keys = useTestRedis();

  it('gives a cq:t: prefix and prefixed keys when the file runs', async () => {
    expect(keys.prefix).toMatch(/^cq:t:[0-9a-f]{12}:$/);
    expect(keys.key('hits')).toBe(`${keys.prefix}hits`);
    expect(keys.url).toBe(redisUrl());
    expect(await keys.client().incr(keys.key('hits'))).toBe(1);
  });
});

let neverStarted: ReturnType<typeof useTestRedis> | undefined;
// A skipped suite is collected, so the fixture registers, but its hooks never run.
describe.skip('useTestRedis in a suite skipped on purpose: its hooks never run, so the next suite can read the fixture before them', () => {
  neverStarted = useTestRedis();
});

describe('useTestRedis before its hooks ran', () => {
  it('throws FixtureNotReadyError when a property is read', () => {
    expect(neverStarted).toBeDefined();
    expect(() => neverStarted?.prefix).toThrow(FixtureNotReadyError);
  });
});

describe.skipIf(!redis.available)('createTestRedis', () => {
  it('keeps a key invisible to another prefix when both write the same name', async () => {
    const first = createTestRedis();
    const second = createTestRedis();
    try {
      expect(first.prefix).not.toBe(second.prefix);
      await first.client({ keyPrefix: first.prefix }).set('slot', 'first');
      await second.client({ keyPrefix: second.prefix }).set('slot', 'second');
      expect(await first.client({ keyPrefix: first.prefix }).get('slot')).toBe('first');
      expect(await second.client({ keyPrefix: second.prefix }).get('slot')).toBe('second');
    } finally {
      await first.cleanup();
      await second.cleanup();
    }
  });

  it('deletes only the keys under its prefix when cleaned up', async () => {
    const cleaned = createTestRedis();
    const kept = createTestRedis();
    const observer = new Redis(redisUrl());
    try {
      const writes = cleaned.client().pipeline();
      for (let i = 0; i < 1_200; i += 1) writes.set(cleaned.key(`k${i}`), String(i));
      await writes.exec();
      await kept.client().set(kept.key('k1'), 'kept');
      await cleaned.cleanup();
      expect(await observer.exists(cleaned.key('k0'), cleaned.key('k1199'))).toBe(0);
      expect(await observer.get(kept.key('k1'))).toBe('kept');
    } finally {
      await kept.cleanup();
      await observer.quit();
    }
  });
});

describe.skipIf(!redis.available)('deleteKeysWithPrefix', () => {
  it('treats glob characters in the prefix literally when matching', async () => {
    const client = new Redis(redisUrl());
    const base = createTestRedis().prefix;
    try {
      await client.set(`${base}[x]*:a`, '1');
      await client.set(`${base}x:a`, '2');
      expect(await deleteKeysWithPrefix(client, `${base}[x]*:`)).toBe(1);
      expect(await client.get(`${base}x:a`)).toBe('2');
    } finally {
      await deleteKeysWithPrefix(client, base);
      await client.quit();
    }
  });
});

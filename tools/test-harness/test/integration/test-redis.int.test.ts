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
import { thrownBy } from './thrown-by.js';

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

describe.skipIf(!redis.available)('useTestRedis before its hooks ran', () => {
  const fixture = useTestRedis();
  // Read while the suite is being collected, before its beforeAll hook has run.
  const earlyRead = thrownBy(() => fixture.prefix);

  it('throws FixtureNotReadyError when a property is read, and serves it once the hooks ran', () => {
    expect(earlyRead).toBeInstanceOf(FixtureNotReadyError);
    expect(fixture.prefix).toBeDefined();
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

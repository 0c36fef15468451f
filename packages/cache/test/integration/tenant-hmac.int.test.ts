import { requireRedis, useTestRedis, deleteKeysWithPrefix } from '@carequeue/test-harness';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCacheService } from '../../src/index.js';
import { redisCacheBus, redisCacheStore } from '../../src/redis/index.js';
import { KEY_SECRET, sharedEncryptor } from './instances.js';

const redis = await requireRedis();

// Recognisable on purpose: any trace of them in Redis or on the bus is a leak.
const TENANT = 'Tenant-Recognisable-4242';
const OTHER_TENANT = 'Tenant-Bystander-7171';
const IDS = ['Key-Recognisable-Main', 'Clinic-Recognisable-9', 'Patient-Recognisable-31'];
const TAG = 'Tag-Recognisable-77';

/** Every argument of every command `client` sends, as text. */
function recordCommands(client: Redis): string[] {
  const sent: string[] = [];
  const send = client.sendCommand.bind(client);
  vi.spyOn(client, 'sendCommand').mockImplementation((command, stream) => {
    sent.push(command.name, ...command.args.map(String));
    return send(command, stream);
  });
  return sent;
}

async function dumpPrefix(client: Redis, prefix: string): Promise<string[]> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) parts.push(key, (await client.get(key)) ?? '');
  } while (cursor !== '0');
  return parts;
}

describe.skipIf(!redis.available)('tenant in Redis keys', () => {
  const keys = useTestRedis();
  afterEach(async () => {
    await deleteKeysWithPrefix(keys.client(), keys.prefix);
  });

  it('writes the tenant and the cache keys to Redis and the bus only as HMACs when a tenant sets, reads and invalidates (tenant id in clear in Redis keys)', async () => {
    const client = keys.client();
    const sent = recordCommands(client);
    const channel = `${keys.prefix}bus`;
    const bus = await redisCacheBus({ client, channel });
    const listener = keys.client();
    const messages: string[] = [];
    listener.on('message', (_channel: string, text: string) => messages.push(text));
    await listener.subscribe(channel);
    const cache = createCacheService({
      store: redisCacheStore({ client, keyPrefix: keys.prefix }),
      bus,
      keySecret: KEY_SECRET,
      encryptor: sharedEncryptor,
    });
    try {
      const tenant = { tenant: TENANT };
      await cache.set(`clinic-settings:${IDS[0]}`, { open: true }, { ...tenant, tags: [TAG] });
      await cache.set('clinic-settings:shared', { open: 'bystander' }, { tenant: OTHER_TENANT });
      await cache.getOrSet(`queue-summaries:${IDS[1]}:2026-03-01`, () => ({ waiting: 3 }), {
        ...tenant,
        lock: true,
      });
      await cache.set(`patient-profiles:${IDS[2]}`, { seen: true }, tenant);
      await cache.set('clinic-settings:shared', { open: 'tenant' }, tenant);
      await cache.invalidate(`queue-summaries:${IDS[1]}:*`, tenant);
      await cache.invalidateTags([TAG], tenant);
      await cache.delete(`patient-profiles:${IDS[2]}`, tenant);
      await cache.set(`patient-profiles:${IDS[2]}`, { seen: true }, tenant);
      await cache.clear(tenant);
      // Five sets, one delete, one prefix, and one message per namespace for the tag and `clear`.
      await vi.waitFor(() => expect(messages.length).toBe(15));

      // Per-tenant invalidation still works on the hashed scope: the bystander keeps its value.
      const reader = createCacheService({
        store: redisCacheStore({ client: keys.client(), keyPrefix: keys.prefix }),
        keySecret: KEY_SECRET,
        encryptor: sharedEncryptor,
      });
      expect(await reader.get('clinic-settings:shared', tenant)).toBeUndefined();
      expect(await reader.get('clinic-settings:shared', { tenant: OTHER_TENANT })).toEqual({
        open: 'bystander',
      });
      reader.close();

      const stored = await dumpPrefix(keys.client(), keys.prefix);
      expect(stored.length).toBeGreaterThan(0);
      const everything = [...stored, ...sent, ...messages].join('\n');
      for (const secret of [TENANT, OTHER_TENANT, TAG, ...IDS]) {
        expect(everything).not.toContain(secret);
      }
    } finally {
      cache.close();
      await bus.close();
    }
  });
});

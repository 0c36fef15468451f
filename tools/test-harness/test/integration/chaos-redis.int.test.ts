import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PrivateServer,
  requireRedis,
  startPrivateRedis,
  useTestRedis,
  waitUntil,
} from '../../src/index.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('startPrivateRedis', () => {
  const shared = useTestRedis();
  let privateRedis: PrivateServer;
  let client: Redis;

  beforeAll(async () => {
    privateRedis = await startPrivateRedis();
    client = new Redis(privateRedis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    client.on('error', () => undefined);
    await waitUntil(() => client.status === 'ready', { description: 'the client to connect' });
  });

  afterAll(async () => {
    client.disconnect();
    await privateRedis.close();
  });

  it('fails its clients while the shared Redis keeps serving when it is stopped', async () => {
    await client.set('appointment', 'booked');
    const sharedClient = shared.client();

    await privateRedis.stop();
    expect(privateRedis.running).toBe(false);
    await expect(client.get('appointment')).rejects.toThrow();
    await sharedClient.set(shared.key('still-serving'), 'yes');
    expect(await sharedClient.get(shared.key('still-serving'))).toBe('yes');

    await privateRedis.start();
    await waitUntil(async () => (await client.ping()) === 'PONG', {
      description: 'the client to reconnect',
    });
    // Started again without persistence, so the server comes back empty.
    expect(await client.get('appointment')).toBeNull();
    expect(await client.set('appointment', 'rebooked')).toBe('OK');
  });

  it('comes back on the same port when it was killed', async () => {
    const port = privateRedis.port;
    await privateRedis.kill();
    await expect(client.ping()).rejects.toThrow();
    await privateRedis.start();
    expect(privateRedis.port).toBe(port);
    await waitUntil(async () => (await client.ping()) === 'PONG', {
      description: 'the client to reconnect',
    });
  });
});

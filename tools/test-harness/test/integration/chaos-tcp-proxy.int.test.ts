import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createTcpProxy, requireRedis, useTestRedis, waitUntil } from '../../src/index.js';

const redis = await requireRedis();

describe.skipIf(!redis.available)('createTcpProxy', () => {
  const shared = useTestRedis();

  it('cuts the proxied client while direct clients keep working and recovers when restored', async () => {
    const target = new URL(shared.url);
    const proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port) });
    const proxied = new Redis(proxy.port, proxy.host, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // A command sent into a cut connection gets no reply; fail it instead of waiting forever.
      commandTimeout: 1_000,
      retryStrategy: () => 50,
    });
    proxied.on('error', () => undefined);
    const direct = shared.client();
    try {
      await waitUntil(() => proxied.status === 'ready', { description: 'the proxied client' });
      await proxied.set(shared.key('through-proxy'), 'before');

      proxy.cut();
      expect(proxy.isCut).toBe(true);
      await expect(proxied.get(shared.key('through-proxy'))).rejects.toThrow();
      expect(await direct.get(shared.key('through-proxy'))).toBe('before');

      proxy.restore();
      await waitUntil(async () => (await proxied.ping()) === 'PONG', {
        description: 'the proxied client to reconnect',
      });
      expect(await proxied.get(shared.key('through-proxy'))).toBe('before');
    } finally {
      proxied.disconnect();
      await proxy.close();
    }
  }, 60_000);
});

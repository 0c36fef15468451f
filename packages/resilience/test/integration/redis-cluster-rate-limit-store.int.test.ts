import { randomBytes } from 'node:crypto';
import { TestServiceUnavailableError } from '@carequeue/test-harness';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiter } from '../../src/index.js';
import { redisRateLimitStore } from '../../src/redis/index.js';
import { runRateLimitStoreContract } from '../../src/testing/index.js';

const nodes = (
  process.env.CAREQUEUE_REDIS_CLUSTER_NODES ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103'
)
  .split(',')
  .map((entry) => {
    const [host = '127.0.0.1', port = '0'] = entry.trim().split(':');
    return { host, port: Number(port) };
  });

// Every key of this file shares one hash tag, so the buckets of one decision share a slot.
const tag = `{cq-rl-${randomBytes(4).toString('hex')}}:`;

function clusterClient(): Cluster {
  const client = new Cluster(nodes, {
    keyPrefix: tag,
    redisOptions: { maxRetriesPerRequest: 1 },
    clusterRetryStrategy: () => null,
  });
  client.on('error', () => undefined);
  return client;
}

async function clusterAvailable(): Promise<boolean> {
  const probe = clusterClient();
  try {
    const info = await Promise.race([
      probe.cluster('INFO'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer in 5 s')), 5_000),
      ),
    ]);
    return String(info).includes('cluster_state:ok');
  } catch (error: unknown) {
    const reason = `Redis Cluster at ${nodes.map((n) => `${n.host}:${n.port}`).join(',')} is unavailable (${String(error)}).`;
    const required = process.env.CAREQUEUE_REQUIRE_SERVICES;
    if (required !== undefined && required !== '' && required !== '0' && required !== 'false') {
      throw new TestServiceUnavailableError(reason, { cause: error });
    }
    console.warn(`skipping: ${reason}`);
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await clusterAvailable();

describe.skipIf(!available)('redisRateLimitStore on Redis Cluster', () => {
  const client = clusterClient();

  afterAll(async () => {
    const masters = client.nodes('master');
    await Promise.all(
      masters.map(async (node) => {
        const found = await node.keys(`${tag}*`);
        if (found.length > 0) await Promise.all(found.map((key) => node.del(key)));
      }),
    );
    client.disconnect();
  });

  runRateLimitStoreContract({
    name: 'redisRateLimitStore on Redis Cluster',
    create: () => redisRateLimitStore({ client }),
    describe,
    it,
    expect,
  });

  it('admits exactly the limit when 200 concurrent requests over two instances share the cluster', async () => {
    const limiter = (): RateLimiter =>
      createRateLimiter({
        windowMs: 60_000,
        max: 50,
        endpointLimit: { windowMs: 60_000, max: 1_000 },
        store: redisRateLimitStore({ client }),
        // The cluster must decide every request: on a loaded machine 200 concurrent scripts can
        // outlast the default 250 ms, and the in-memory insurance would then decide.
        storeTimeoutMs: 60_000,
      });
    const instances = [limiter(), limiter()] as const;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        instances[i % 2 === 0 ? 0 : 1].consume('user-1', { endpoint: 'POST /bookings' }),
      ),
    );
    expect(results.filter((result) => result.allowed).length).toBe(50);
    expect(instances.map((instance) => instance.usage().insured)).toEqual([0, 0]);
  });
});

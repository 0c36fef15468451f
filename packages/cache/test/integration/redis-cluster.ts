import { randomBytes } from 'node:crypto';
import { TestServiceUnavailableError } from '@carequeue/test-harness';
import { Cluster } from 'ioredis';

/** The local Redis Cluster the cache tests use, or why it is unavailable. */
export interface ClusterAvailability {
  readonly available: boolean;
  readonly nodes: readonly { host: string; port: number }[];
}

function clusterNodes(): { host: string; port: number }[] {
  const list =
    process.env.CAREQUEUE_REDIS_CLUSTER_NODES ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103';
  return list.split(',').map((entry) => {
    const [host = '127.0.0.1', port = '0'] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}

function servicesRequired(): boolean {
  const flag = process.env.CAREQUEUE_REQUIRE_SERVICES;
  return flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false';
}

/** Opens a cluster client that fails fast. */
export function clusterClient(nodes: readonly { host: string; port: number }[]): Cluster {
  const client = new Cluster([...nodes], {
    enableOfflineQueue: true,
    redisOptions: { maxRetriesPerRequest: 1 },
    clusterRetryStrategy: () => null,
  });
  client.on('error', () => undefined);
  return client;
}

/**
 * Probes the Redis Cluster named by CAREQUEUE_REDIS_CLUSTER_NODES. Absent: prints why and returns
 * `available: false`, or throws when CAREQUEUE_REQUIRE_SERVICES is set.
 */
export async function requireRedisCluster(): Promise<ClusterAvailability> {
  const nodes = clusterNodes();
  const probe = clusterClient(nodes);
  try {
    const info = await Promise.race([
      probe.cluster('INFO'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer in 5 s')), 5_000),
      ),
    ]);
    if (!String(info).includes('cluster_state:ok')) throw new Error('cluster_state is not ok');
    return { available: true, nodes };
  } catch (error: unknown) {
    const reason = `Redis Cluster at ${nodes.map((n) => `${n.host}:${n.port}`).join(',')} is unavailable (${String(error)}). Start it with scripts/start-redis-cluster.sh.`;
    if (servicesRequired()) throw new TestServiceUnavailableError(reason, { cause: error });
    console.warn(`skipping: ${reason}`);
    return { available: false, nodes };
  } finally {
    probe.disconnect();
  }
}

/** A key prefix of its own for one test file. */
export function clusterPrefix(): string {
  return `cq:t:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix` on every master, with SCAN and one UNLINK per key. */
export async function cleanupCluster(client: Cluster, prefix: string): Promise<void> {
  for (const node of client.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) await node.unlink(key);
    } while (cursor !== '0');
  }
}

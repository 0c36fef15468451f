import { expect, it } from 'vitest';
import {
  harnessRunContext,
  type TestDatabase,
  type TestRedis,
  waitUntil,
} from '../../src/index.js';

const PEERS = ['isolation-a', 'isolation-b'] as const;

/**
 * The scenario both isolation files run: they create the same table, insert rows into it and
 * write the same Redis keys, wait until the other file has written too, and read back.
 */
export function isolationScenario(
  label: (typeof PEERS)[number],
  db: TestDatabase,
  redis: TestRedis,
): void {
  it('reads back exactly its own rows and keys when the other file writes the same ones', async () => {
    await db.pool.query('CREATE TABLE patient_visit (id text PRIMARY KEY, writer text NOT NULL)');
    await db.pool.query("INSERT INTO patient_visit VALUES ('visit-1', $1), ('visit-2', $1)", [
      label,
    ]);
    const client = redis.client({ keyPrefix: redis.prefix });
    await client.set('last-writer', label);
    await client.rpush('visits', `${label}:1`, `${label}:2`);

    // The peer file must have written its rows and keys before this file reads back, so a
    // shared database or prefix would show its data here.
    const rendezvous = redis.client();
    const rendezvousKey = `cq:t:rendezvous:${harnessRunContext()?.runId ?? 'standalone'}`;
    await rendezvous.sadd(rendezvousKey, label);
    await rendezvous.expire(rendezvousKey, 300);
    await waitUntil(async () => (await rendezvous.scard(rendezvousKey)) === PEERS.length, {
      timeoutMs: 90_000,
      intervalMs: 100,
      description: `the other isolation file to write (run ${PEERS.join(' and ')} together)`,
    });

    const { rows } = await db.pool.query('SELECT id, writer FROM patient_visit ORDER BY id');
    expect(rows).toEqual([
      { id: 'visit-1', writer: label },
      { id: 'visit-2', writer: label },
    ]);
    expect(await client.get('last-writer')).toBe(label);
    expect(await client.lrange('visits', 0, -1)).toEqual([`${label}:1`, `${label}:2`]);
  }, 120_000);
}

import { describe, expect, it } from 'vitest';
import { probeMachine } from './machine-info.js';

const postgresUrl = process.env.CAREQUEUE_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.CAREQUEUE_REDIS_URL || 'redis://127.0.0.1:6379';

describe('probeMachine', () => {
  it('reports CPUs, Node, V8 and the versions of reachable services when probing this machine', async () => {
    const machine = await probeMachine({ postgres: postgresUrl, redis: redisUrl });
    expect(machine.cpus).toBeGreaterThanOrEqual(1);
    expect(machine.node).toBe(process.version);
    expect(machine.v8).toBe(process.versions.v8);
    // The shared services may be absent on a developer machine; present ones report a version.
    for (const version of [machine.postgres, machine.redis]) {
      if (version !== null) expect(version).toMatch(/^\d+\.\d+/);
    }
  });
});

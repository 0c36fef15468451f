import { describe, expect, it } from 'vitest';
import { TestServiceUnavailableError } from './errors.js';
import { requirePostgres, requireRedis } from './require-service.js';

// Port 9 (discard) is closed on test machines, so probes fail fast with ECONNREFUSED.
const absentPostgres = { CAREQUEUE_PG_URL: 'postgres://postgres:pw@127.0.0.1:9/postgres' };
const absentRedis = { CAREQUEUE_REDIS_URL: 'redis://127.0.0.1:9' };

describe('requirePostgres', () => {
  it('returns unavailable and prints how to start Postgres when it is absent', async () => {
    const warnings: string[] = [];
    const status = await requirePostgres({ env: absentPostgres, warn: (m) => warnings.push(m) });
    expect(status).toMatchObject({ service: 'Postgres', available: false });
    expect(status.url).toBe('postgres://postgres:***@127.0.0.1:9/postgres');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('127.0.0.1:9');
    expect(warnings[0]).toContain('CAREQUEUE_PG_URL');
    expect(warnings[0]).not.toContain(':pw@');
  });

  it('throws when Postgres is absent and services are required', async () => {
    const env = { ...absentPostgres, CAREQUEUE_REQUIRE_SERVICES: '1' };
    await expect(requirePostgres({ env })).rejects.toBeInstanceOf(TestServiceUnavailableError);
  });
});

describe('requireRedis', () => {
  it('returns unavailable and prints how to start Redis when it is absent', async () => {
    const warnings: string[] = [];
    const status = await requireRedis({ env: absentRedis, warn: (m) => warnings.push(m) });
    expect(status).toMatchObject({
      service: 'Redis',
      available: false,
      url: 'redis://127.0.0.1:9',
    });
    expect(status.reason).toContain('Redis is not reachable');
    expect(warnings[0]).toContain('CAREQUEUE_REDIS_URL');
  });

  it('throws with the remedy when Redis is absent and services are required', async () => {
    const env = { ...absentRedis, CAREQUEUE_REQUIRE_SERVICES: 'true' };
    await expect(requireRedis({ env })).rejects.toThrow(/CAREQUEUE_REQUIRE_SERVICES is set/);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  type PrivateServer,
  requirePostgres,
  startPrivatePostgres,
} from '../../src/index.js';

const sharedPostgres = await requirePostgres();

async function queryOnce(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe.skipIf(!sharedPostgres.available)('startPrivatePostgres', () => {
  let server: PrivateServer;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 120_000);

  afterAll(async () => {
    await server.close();
  }, 60_000);

  it('refuses queries while the shared Postgres keeps serving when it is stopped', async () => {
    await queryOnce(server.url, 'CREATE TABLE provider (id int PRIMARY KEY)');
    await queryOnce(server.url, 'INSERT INTO provider VALUES (7)');

    await server.stop();
    expect(server.running).toBe(false);
    await expect(queryOnce(server.url, 'SELECT 1')).rejects.toThrow();
    const shared = await createTestDatabase();
    try {
      expect(await shared.pool.query<{ up: number }>('SELECT 1 AS up').then((r) => r.rows)).toEqual(
        [{ up: 1 }],
      );
    } finally {
      await shared.drop();
    }

    await server.start();
    expect(await queryOnce(server.url, 'SELECT id FROM provider')).toEqual([{ id: 7 }]);
  });

  it('recovers committed rows when restarted after a kill', async () => {
    await queryOnce(server.url, 'INSERT INTO provider VALUES (8)');
    await server.kill();
    await expect(queryOnce(server.url, 'SELECT 1')).rejects.toThrow();
    await server.start();
    expect(await queryOnce(server.url, 'SELECT id FROM provider ORDER BY id')).toEqual([
      { id: 7 },
      { id: 8 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  databaseExists,
  dropStaleTestDatabases,
  ensurePostgresTemplate,
  FixtureNotReadyError,
  postgresUrl,
  requirePostgres,
  testDatabaseName,
  useTestDatabase,
  withAdminClient,
} from '../../src/index.js';
import { quoteIdentifier } from '../../src/database-names.js';
import { thrownBy } from './thrown-by.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('useTestDatabase', () => {
  const db = useTestDatabase();

  it('has btree_gist installed when the database is cloned from the template', async () => {
    const { rows } = await db.pool.query<{ extname: string }>(
      "SELECT extname FROM pg_extension WHERE extname = 'btree_gist'",
    );
    expect(rows).toEqual([{ extname: 'btree_gist' }]);
  });

  it('has core migrations applied when the database is cloned from the template', async () => {
    const { rows } = await db.pool.query<{ namespace: string }>(
      'SELECT DISTINCT namespace FROM carequeue.schema_migrations',
    );
    expect(rows.map((row) => row.namespace)).toContain('core');
  });

  it('connects to its own database when queried through the pool', async () => {
    const { rows } = await db.pool.query<{ name: string }>('SELECT current_database() AS name');
    expect(rows[0]?.name).toBe(db.name);
    expect(db.url.endsWith(`/${db.name}`)).toBe(true);
  });
});

describe.skipIf(!postgres.available)('useTestDatabase before its hooks ran', () => {
  const db = useTestDatabase();
  // Read while the suite is being collected, before its beforeAll hook has run.
  const earlyRead = thrownBy(() => db.pool);

  it('throws FixtureNotReadyError when a property is read, and serves it once the hooks ran', () => {
    expect(earlyRead).toBeInstanceOf(FixtureNotReadyError);
    expect(db.pool).toBeDefined();
  });
});

describe.skipIf(!postgres.available)('createTestDatabase', () => {
  it('keeps rows invisible to another database when both use the same table name', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    try {
      expect(first.name).not.toBe(second.name);
      await first.pool.query('CREATE TABLE visit (label text)');
      await second.pool.query('CREATE TABLE visit (label text)');
      await first.pool.query("INSERT INTO visit VALUES ('first')");
      await second.pool.query("INSERT INTO visit VALUES ('second')");
      const firstRows = await first.pool.query('SELECT label FROM visit');
      const secondRows = await second.pool.query('SELECT label FROM visit');
      expect(firstRows.rows).toEqual([{ label: 'first' }]);
      expect(secondRows.rows).toEqual([{ label: 'second' }]);
    } finally {
      await first.drop();
      await second.drop();
    }
  });

  it('removes the database when dropped with open connections', async () => {
    const database = await createTestDatabase();
    await database.pool.query('SELECT 1');
    await database.drop();
    expect(await databaseExists(postgresUrl(), database.name)).toBe(false);
  });
});

describe.skipIf(!postgres.available)('ensurePostgresTemplate', () => {
  it('builds one template when several callers race for the same migrations', async () => {
    const names = await Promise.all([
      ensurePostgresTemplate(postgresUrl(), { dropStale: false }),
      ensurePostgresTemplate(postgresUrl(), { dropStale: false }),
      ensurePostgresTemplate(postgresUrl(), { dropStale: false }),
    ]);
    expect(new Set(names).size).toBe(1);
    expect(await databaseExists(postgresUrl(), names[0] ?? '')).toBe(true);
    expect(await databaseExists(postgresUrl(), `${names[0] ?? ''}_wip`)).toBe(false);
  });
});

describe.skipIf(!postgres.available)('dropStaleTestDatabases', () => {
  it('drops old test databases and keeps recent ones when cleaning up', async () => {
    const old = testDatabaseName(Date.now() - 24 * 60 * 60 * 1000);
    const recent = await createTestDatabase();
    try {
      await withAdminClient(postgresUrl(), (client) =>
        client.query(`CREATE DATABASE ${quoteIdentifier(old)}`),
      );
      const dropped = await dropStaleTestDatabases(postgresUrl());
      expect(dropped).toContain(old);
      expect(await databaseExists(postgresUrl(), old)).toBe(false);
      expect(await databaseExists(postgresUrl(), recent.name)).toBe(true);
    } finally {
      await recent.drop();
    }
  });
});

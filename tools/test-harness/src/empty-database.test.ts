import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPglite, emptyPostgres, migrationsBefore } from './empty-database.js';
import { requirePostgres } from './require-service.js';

const postgres = await requirePostgres();

describe('empty databases for step-by-step migration tests', () => {
  it('copies only the migrations older than the first new one, and nothing else', () => {
    const directory = mkdtempSync(join(tmpdir(), 'carequeue-migrations-'));
    for (const name of ['0001_a.sql', '0002_b.sql', '0003_c.sql', 'README.md']) {
      writeFileSync(join(directory, name), 'SELECT 1;');
    }
    const before = migrationsBefore({ namespace: 'queue', directory }, 3);
    try {
      expect([before.namespace, readdirSync(String(before.directory)).sort()]).toEqual([
        'queue',
        ['0001_a.sql', '0002_b.sql'],
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      rmSync(String(before.directory), { recursive: true, force: true });
    }
  });

  it('gives an empty PGlite database with btree_gist available', async () => {
    const { executor, close } = await emptyPglite();
    try {
      await executor.exec('CREATE EXTENSION btree_gist');
      const { rows } = await executor.query<{ tables: number }>(
        "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(rows).toEqual([{ tables: 0 }]);
    } finally {
      await close();
    }
  });

  it.skipIf(!postgres.available)(
    'gives an empty Postgres database and drops it on close',
    async () => {
      const { executor, close } = await emptyPostgres();
      const { rows } = await executor.query<{ name: string }>('SELECT current_database() AS name');
      await close();
      expect(rows[0]?.name).toMatch(/^cq_t_/);
    },
  );
});

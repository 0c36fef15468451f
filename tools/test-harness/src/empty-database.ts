import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPgExecutor,
  createPgliteExecutor,
  type MigrationSource,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { databaseUrl, quoteIdentifier, testDatabaseName } from './database-names.js';
import { dropDatabase, withAdminClient } from './postgres-admin.js';
import { postgresUrl } from './service-urls.js';

/**
 * The migrations of core's migration `source` older than `firstNew`, in a folder of their own: the schema a
 * database had before the migrations under test, so a test can populate it and then upgrade.
 *
 * @example
 * ```ts
 * const before = migrationsBefore(queueSource, 12);
 * ```
 */
export function migrationsBefore(source: MigrationSource, firstNew: number): MigrationSource {
  const from = String(source.directory);
  const directory = mkdtempSync(join(tmpdir(), `carequeue-${source.namespace}-before-`));
  for (const name of readdirSync(from)) {
    if (/^\d{4}_.*\.sql$/.test(name) && Number(name.slice(0, 4)) < firstNew) {
      copyFileSync(join(from, name), join(directory, name));
    }
  }
  return { namespace: source.namespace, directory };
}

/** An empty database, and how to dispose of it. */
export interface EmptyDatabase {
  readonly executor: SqlExecutor;
  close(): Promise<void>;
}

/**
 * An empty PGlite database with the `btree_gist` extension the booking migration needs, for
 * tests that migrate a schema step by step instead of starting from the migrated template.
 *
 * @example
 * ```ts
 * const { executor, close } = await emptyPglite();
 * ```
 */
export async function emptyPglite(): Promise<EmptyDatabase> {
  const db = await PGlite.create({ extensions: { btree_gist } });
  return { executor: createPgliteExecutor(db), close: () => db.close() };
}

/**
 * An empty Postgres database on the shared server, dropped by `close`.
 *
 * @example
 * ```ts
 * const { executor, close } = await emptyPostgres();
 * ```
 */
export async function emptyPostgres(): Promise<EmptyDatabase> {
  const adminUrl = postgresUrl();
  const name = testDatabaseName();
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)}`),
  );
  const pool = new pg.Pool({ connectionString: databaseUrl(adminUrl, name), max: 2 });
  pool.on('error', () => undefined);
  return {
    executor: createPgExecutor({ pool }),
    async close() {
      await pool.end();
      await dropDatabase(adminUrl, name);
    },
  };
}

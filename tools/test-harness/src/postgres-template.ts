import { createPgExecutor } from '@carequeue/core/sql';
import { databaseUrl, quoteIdentifier, templateDatabaseName } from './database-names.js';
import { discoverMigrationSources, type MigrationSource } from './migration-sources.js';
import { databaseExists, dropStaleTestDatabases, withAdminClient } from './postgres-admin.js';
import { prepareTemplate, templateHash } from './template.js';

// One lock for every process preparing templates on a server, whatever package runs them.
const TEMPLATE_LOCK_KEY = 7_143_001_220_517n;

/** Options of {@link ensurePostgresTemplate}. */
export interface EnsurePostgresTemplateOptions {
  /** Migration folders to apply. @default every package's `sql/` folder */
  readonly sources?: readonly MigrationSource[];
  /** Also drop test databases that crashed runs left behind. @default true */
  readonly dropStale?: boolean;
}

/**
 * Makes sure the template database for the current migrations exists and returns its name.
 *
 * The template is named by a hash of the migrations, so a run reuses the template of an earlier
 * run with the same migrations. Preparation holds a server-wide advisory lock, so vitest
 * processes of several packages starting at once build it only once; it is built under a
 * temporary name and renamed when complete, so a crash never leaves a half-built template.
 *
 * @throws the driver's error when the server is unreachable or a migration fails.
 * @example
 * ```ts
 * const template = await ensurePostgresTemplate('postgres://postgres@127.0.0.1:5432/postgres');
 * // 'cq_tpl_3f2a9c0d1e2b4a5c'
 * ```
 */
export async function ensurePostgresTemplate(
  adminUrl: string,
  options: EnsurePostgresTemplateOptions = {},
): Promise<string> {
  const sources = options.sources ?? discoverMigrationSources();
  const name = templateDatabaseName(templateHash(sources));
  return withAdminClient(adminUrl, async (lockClient) => {
    await lockClient.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (options.dropStale ?? true) await dropStaleTestDatabases(adminUrl);
      if (!(await databaseExists(adminUrl, name))) await buildTemplate(adminUrl, name, sources);
      return name;
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

async function buildTemplate(
  adminUrl: string,
  name: string,
  sources: readonly MigrationSource[],
): Promise<void> {
  const building = `${name}_wip`;
  await withAdminClient(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(building)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdentifier(building)} TEMPLATE template0`);
  });

  const sql = createPgExecutor({ connectionString: databaseUrl(adminUrl, building), poolSize: 1 });
  try {
    await prepareTemplate(sql, sources);
  } finally {
    await sql.close();
  }

  await withAdminClient(adminUrl, async (admin) => {
    await admin.query(
      `ALTER DATABASE ${quoteIdentifier(building)} RENAME TO ${quoteIdentifier(name)}`,
    );
    // Nobody may connect to a template: one open session makes every clone of it fail.
    await admin.query(
      `ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
    );
  });
}

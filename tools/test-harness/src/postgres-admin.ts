import pg from 'pg';
import {
  quoteIdentifier,
  TEST_DATABASE_PREFIX,
  testDatabaseCreatedAt,
  testDatabaseName,
} from './database-names.js';

/** Default age after which a test database left behind by a crashed run is dropped. */
export const STALE_TEST_DATABASE_AGE_MS = 3 * 60 * 60 * 1000;

// SQLSTATE 55006 (object_in_use): the template had a connection at the moment of cloning.
const OBJECT_IN_USE = '55006';
const CLONE_ATTEMPTS = 10;

/**
 * Runs `work` with a short-lived client connected to the server at `url`.
 *
 * @example
 * ```ts
 * const names = await withAdminClient(url, async (client) => {
 *   const { rows } = await client.query('SELECT datname FROM pg_database');
 *   return rows;
 * });
 * ```
 */
export async function withAdminClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a uniquely named database cloned from `template` and returns its name.
 *
 * @throws the driver's error when the server refuses to create the database.
 * @example
 * ```ts
 * const name = await cloneDatabase(adminUrl, 'cq_tpl_3f2a9c0d1e2b4a5c');
 * ```
 */
export async function cloneDatabase(adminUrl: string, template: string): Promise<string> {
  const name = testDatabaseName();
  await withAdminClient(adminUrl, async (client) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(
          `CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`,
        );
        return;
      } catch (error: unknown) {
        if (!isObjectInUse(error) || attempt >= CLONE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return name;
}

/**
 * Drops a database, disconnecting its remaining sessions first (Postgres 13+).
 *
 * @example
 * ```ts
 * await dropDatabase(adminUrl, 'cq_t_mfd3k2a1_9c0e1f2a3b4c');
 * ```
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

/**
 * Drops the test databases older than `maxAgeMs` that crashed runs left behind.
 *
 * @default maxAgeMs 3 hours
 * @returns the names of the databases dropped.
 * @example
 * ```ts
 * await dropStaleTestDatabases(adminUrl); // ['cq_t_mf0a1b2c_0d1e2f3a4b5c']
 * ```
 */
export async function dropStaleTestDatabases(
  adminUrl: string,
  maxAgeMs: number = STALE_TEST_DATABASE_AGE_MS,
  now: number = Date.now(),
): Promise<string[]> {
  const { rows } = await withAdminClient(adminUrl, (client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${TEST_DATABASE_PREFIX}%`,
    ]),
  );
  const stale = rows
    .map((row) => row.datname)
    .filter((name) => {
      const createdAt = testDatabaseCreatedAt(name);
      return createdAt !== undefined && now - createdAt > maxAgeMs;
    });
  for (const name of stale) await dropDatabase(adminUrl, name);
  return stale;
}

/**
 * Whether a database exists on the server.
 *
 * @example
 * ```ts
 * await databaseExists(adminUrl, 'cq_tpl_3f2a9c0d1e2b4a5c'); // true
 * ```
 */
export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const { rowCount } = await withAdminClient(adminUrl, (client) =>
    client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
  );
  return rowCount === 1;
}

function isObjectInUse(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === OBJECT_IN_USE
  );
}

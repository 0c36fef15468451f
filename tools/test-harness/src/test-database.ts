import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { databaseUrl } from './database-names.js';
import { FixtureNotReadyError } from './errors.js';
import { cloneDatabase, dropDatabase } from './postgres-admin.js';
import { ensurePostgresTemplate } from './postgres-template.js';
import { harnessRunContext } from './run-context.js';
import { postgresUrl } from './service-urls.js';

/** A Postgres database of its own, cloned from the migrated template. */
export interface TestDatabase {
  /** The database name, `cq_t_<time>_<random>`. */
  readonly name: string;
  /** Connection URL of the database, for code that builds its own client. */
  readonly url: string;
  /** A pool connected to the database, created on first use and closed with the database. */
  readonly pool: pg.Pool;
}

/** A {@link TestDatabase} the caller drops itself. */
export interface OwnedTestDatabase extends TestDatabase {
  /** Closes the pool (if it was used) and drops the database. */
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase} and {@link useTestDatabase}. */
export interface TestDatabaseOptions {
  /** URL of a database on the server to use for administration. @default CAREQUEUE_PG_URL */
  readonly adminUrl?: string;
  /** Maximum number of connections of {@link TestDatabase.pool}. @default 5 */
  readonly poolSize?: number;
}

const HOOK_TIMEOUT_MS = 120_000;
const templatesByServer = new Map<string, Promise<string>>();

/**
 * Creates a database cloned from the migrated template; the caller drops it.
 *
 * Prefer {@link useTestDatabase} in test files; use this when a test needs several databases.
 *
 * @throws the driver's error when Postgres is unreachable.
 * @example
 * ```ts
 * const db = await createTestDatabase();
 * try {
 *   await db.pool.query('CREATE TABLE note (body text)');
 * } finally {
 *   await db.drop();
 * }
 * ```
 */
export async function createTestDatabase(
  options: TestDatabaseOptions = {},
): Promise<OwnedTestDatabase> {
  const adminUrl = options.adminUrl ?? postgresUrl();
  const name = await cloneDatabase(adminUrl, await templateFor(adminUrl));
  const url = databaseUrl(adminUrl, name);
  let pool: pg.Pool | undefined;
  return {
    name,
    url,
    get pool() {
      if (!pool) {
        pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 5 });
        // An idle connection dropped by the server must not crash the test process.
        pool.on('error', () => undefined);
      }
      return pool;
    },
    async drop() {
      await pool?.end();
      pool = undefined;
      await dropDatabase(adminUrl, name);
    },
  };
}

/**
 * Gives the current test file (or `describe` block) a Postgres database of its own.
 *
 * Registers a `beforeAll` hook that clones the migrated template into a fresh database and an
 * `afterAll` hook that closes the pool and drops the database. Read the returned object's
 * properties inside tests and hooks.
 *
 * @throws {FixtureNotReadyError} when a property is read before `beforeAll` ran.
 * @example
 * ```ts
 * const postgres = await requirePostgres();
 *
 * describe.skipIf(!postgres.available)('postgresQueueRepository', () => {
 *   const db = useTestDatabase();
 *
 *   it('counts no entries when the queue is new', async () => {
 *     const { rows } = await db.pool.query('SELECT 1 AS one');
 *     expect(rows).toEqual([{ one: 1 }]);
 *   });
 * });
 * ```
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): TestDatabase {
  let database: OwnedTestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(options);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await database?.drop();
    database = undefined;
  }, HOOK_TIMEOUT_MS);

  const ready = (): OwnedTestDatabase => {
    if (!database) throw new FixtureNotReadyError('useTestDatabase()');
    return database;
  };
  return {
    get name() {
      return ready().name;
    },
    get url() {
      return ready().url;
    },
    get pool() {
      return ready().pool;
    },
  };
}

function templateFor(adminUrl: string): Promise<string> {
  const prepared = harnessRunContext()?.postgresTemplate;
  if (prepared?.adminUrl === adminUrl) return Promise.resolve(prepared.name);
  let template = templatesByServer.get(adminUrl);
  if (!template) {
    template = ensurePostgresTemplate(adminUrl, { dropStale: false });
    templatesByServer.set(adminUrl, template);
  }
  return template;
}

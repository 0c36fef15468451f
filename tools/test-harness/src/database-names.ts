import { randomBytes } from 'node:crypto';

/** Every database the harness creates for a test file starts with this prefix. */
export const TEST_DATABASE_PREFIX = 'cq_t_';

/** Every template database the harness creates starts with this prefix. */
export const TEMPLATE_DATABASE_PREFIX = 'cq_tpl_';

const TEST_DATABASE_PATTERN = /^cq_t_([0-9a-z]+)_[0-9a-f]+$/;

/**
 * A fresh, unique name for a test database: `cq_t_<creation time in base 36>_<random hex>`.
 *
 * The creation time in the name lets a later run drop databases that a crashed run left behind.
 *
 * @example
 * ```ts
 * testDatabaseName(); // 'cq_t_mfd3k2a1_9c0e1f2a3b4c'
 * ```
 */
export function testDatabaseName(now: number = Date.now()): string {
  return `${TEST_DATABASE_PREFIX}${now.toString(36)}_${randomBytes(6).toString('hex')}`;
}

/**
 * When a database named by {@link testDatabaseName} was created, in epoch milliseconds.
 *
 * @returns undefined for names the harness did not generate.
 * @example
 * ```ts
 * testDatabaseCreatedAt(testDatabaseName(1_700_000_000_000)); // 1700000000000
 * testDatabaseCreatedAt('app'); // undefined
 * ```
 */
export function testDatabaseCreatedAt(name: string): number | undefined {
  const match = TEST_DATABASE_PATTERN.exec(name);
  if (!match?.[1]) return undefined;
  return Number.parseInt(match[1], 36);
}

/**
 * The name of the template database for a schema hash: `cq_tpl_<first 16 hex digits>`.
 *
 * @example
 * ```ts
 * templateDatabaseName('3f2a9c...'); // 'cq_tpl_3f2a9c...' (16 hex digits)
 * ```
 */
export function templateDatabaseName(schemaHash: string): string {
  return `${TEMPLATE_DATABASE_PREFIX}${schemaHash.slice(0, 16)}`;
}

/**
 * Quotes a Postgres identifier, doubling embedded quotes.
 *
 * @example
 * ```ts
 * quoteIdentifier('cq_t_1'); // '"cq_t_1"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The URL of another database on the same server as `serverUrl`.
 *
 * @example
 * ```ts
 * databaseUrl('postgres://postgres@127.0.0.1:5432/postgres', 'cq_t_1');
 * // 'postgres://postgres@127.0.0.1:5432/cq_t_1'
 * ```
 */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

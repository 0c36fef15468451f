import { afterAll, beforeAll } from 'vitest';
import { FixtureNotReadyError } from './errors.js';
import { ensurePgliteSnapshot, openPgliteSnapshot, type TestPglite } from './pglite-snapshot.js';
import { harnessRunContext } from './run-context.js';

/** The PGlite fixture of a test file. */
export interface TestPgliteFixture {
  /** The file's PGlite instance, with `btree_gist` loaded and the migrations applied. */
  readonly db: TestPglite;
}

const HOOK_TIMEOUT_MS = 120_000;

/**
 * Gives the current test file (or `describe` block) its own PGlite database with the test schema.
 *
 * The instance is restored from a data-directory snapshot built once per run by the global
 * setup (or on first use when the config does not list it), which is much faster than
 * initialising a new PGlite. It is closed in `afterAll`.
 *
 * @throws {FixtureNotReadyError} when `db` is read before `beforeAll` ran.
 * @example
 * ```ts
 * describe('pgliteAuditStore', () => {
 *   const pglite = useTestPglite();
 *
 *   it('has btree_gist loaded when the file starts', async () => {
 *     const { rows } = await pglite.db.query(
 *       "SELECT extname FROM pg_extension WHERE extname = 'btree_gist'",
 *     );
 *     expect(rows).toHaveLength(1);
 *   });
 * });
 * ```
 */
export function useTestPglite(): TestPgliteFixture {
  let instance: TestPglite | undefined;
  beforeAll(async () => {
    const snapshot = harnessRunContext()?.pgliteSnapshot ?? (await ensurePgliteSnapshot());
    instance = await openPgliteSnapshot(snapshot);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await instance?.close();
    instance = undefined;
  }, HOOK_TIMEOUT_MS);

  return {
    get db() {
      if (!instance) throw new FixtureNotReadyError('useTestPglite()');
      return instance;
    },
  };
}

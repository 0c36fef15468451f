/**
 * `@carequeue/test-harness/global-setup`: list it in a package's vitest config
 * (`test.globalSetup`) to build the Postgres template and the PGlite snapshot once per run.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { ensurePgliteSnapshot } from './pglite-snapshot.js';
import { ensurePostgresTemplate } from './postgres-template.js';
import { probePostgres } from './probe.js';
import type { HarnessRunContext } from './run-context.js';
import { postgresUrl } from './service-urls.js';

/**
 * Prepares what the harness's fixtures share for one test run and hands it to the test files.
 *
 * Builds (or reuses) the migrated Postgres template when Postgres is reachable, dropping test
 * databases left behind by crashed runs, and builds (or reuses) the PGlite snapshot. An absent
 * Postgres is not an error here: each test file decides to skip or fail through
 * `requirePostgres()`.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({
 *   test: { globalSetup: ['@carequeue/test-harness/global-setup'] },
 * });
 * ```
 */
export default async function setup(project: TestProject): Promise<void> {
  const adminUrl = postgresUrl();
  const postgresReachable = (await probePostgres(adminUrl)) === undefined;
  const context: HarnessRunContext = {
    runId: randomUUID(),
    ...(postgresReachable && {
      postgresTemplate: { adminUrl, name: await ensurePostgresTemplate(adminUrl) },
    }),
    pgliteSnapshot: await ensurePgliteSnapshot(),
  };
  project.provide('carequeueHarness', context);
}

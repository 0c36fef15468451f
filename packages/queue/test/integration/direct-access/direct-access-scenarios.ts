import type { SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, expect, it } from 'vitest';
import type { SeededTenant } from '../tenant-fixture.js';
import {
  accessDifferences,
  observeAccess,
  readExpectedAccess,
  writeExpectedAccess,
} from './access-matrix.js';
import { seedAccessWorld } from './access-world.js';

/**
 * The role-by-table matrix (ADR 0015): every role tries every operation on every table and view
 * of the queue, resilience and audit schemas, and each outcome must match the committed table in
 * `expected/<schema>.tsv`. Run with CAREQUEUE_WRITE_ACCESS_MATRIX=1 to rewrite the table from
 * what the database does, then review the diff like code.
 */
export function directAccessScenarios(executor: () => SqlExecutor): void {
  let a: SeededTenant;
  let b: SeededTenant;

  beforeAll(async () => {
    ({ a, b } = await seedAccessWorld(executor()));
  });

  it('gives every role exactly the direct access the committed matrix allows', async () => {
    const observed = await observeAccess(executor(), a, b);
    if (process.env['CAREQUEUE_WRITE_ACCESS_MATRIX'] === '1') writeExpectedAccess(observed);
    expect(accessDifferences(observed, readExpectedAccess())).toEqual([]);
  });
}

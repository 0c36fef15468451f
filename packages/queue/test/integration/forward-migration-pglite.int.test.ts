import { createPgliteExecutor, openPglite, type SqlExecutor } from '@carequeue/core/sql';
import { afterAll, beforeAll, describe } from 'vitest';
import { forwardMigrationScenarios } from './forward-migration-scenarios.js';

// A fresh instance, not the harness's migrated snapshot: the test starts from today's schema.
describe('forward migrations on PGlite', () => {
  let db: Awaited<ReturnType<typeof openPglite>> | undefined;
  let sql: SqlExecutor | undefined;

  beforeAll(async () => {
    db = await openPglite();
    sql = createPgliteExecutor(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  forwardMigrationScenarios(() => {
    if (sql === undefined) throw new Error('PGlite is not open yet.');
    return sql;
  });
});

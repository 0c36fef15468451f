import { createPgExecutor, type PgSqlExecutor } from '@carequeue/core/sql';
import {
  databaseUrl,
  dropDatabase,
  postgresUrl,
  quoteIdentifier,
  requirePostgres,
  TEMPLATE_BOOTSTRAP_SQL,
  testDatabaseName,
  withAdminClient,
} from '@carequeue/test-harness';
import { afterAll, beforeAll, describe } from 'vitest';
import { forwardMigrationScenarios } from './forward-migration-scenarios.js';

const postgres = await requirePostgres();

// An empty database, not a clone of the fully migrated template: the test starts from today's
// schema. Named like the harness's databases, so a crashed run's copy is cleaned up with them.
describe.skipIf(!postgres.available)('forward migrations on Postgres', () => {
  const name = testDatabaseName();
  let sql: PgSqlExecutor | undefined;

  beforeAll(async () => {
    await withAdminClient(postgresUrl(), (client) =>
      client.query(`CREATE DATABASE ${quoteIdentifier(name)}`),
    );
    sql = createPgExecutor({ connectionString: databaseUrl(postgresUrl(), name), poolSize: 2 });
    await sql.exec(TEMPLATE_BOOTSTRAP_SQL);
  });
  afterAll(async () => {
    await sql?.close();
    await dropDatabase(postgresUrl(), name);
  });

  forwardMigrationScenarios(() => {
    if (sql === undefined) throw new Error('The database is not ready yet.');
    return sql;
  });
});

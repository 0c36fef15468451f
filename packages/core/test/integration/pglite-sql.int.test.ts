import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteExecutor, openPglite, type SqlExecutor } from '../../src/sql/index.js';
import { describeSqlClock } from './sql-clock-scenarios.js';
import { describeSqlLayer } from './sql-scenarios.js';

let db: Awaited<ReturnType<typeof openPglite>> | undefined;
let sql: SqlExecutor | undefined;

beforeAll(async () => {
  db = await openPglite();
  sql = createPgliteExecutor(db);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

function executor(): SqlExecutor {
  if (!sql) throw new Error('PGlite is not open yet.');
  return sql;
}

describe('openPglite', () => {
  it('creates btree_gist when it starts', async () => {
    const { rows } = await executor().query(
      "SELECT extname FROM pg_extension WHERE extname = 'btree_gist'",
    );
    expect(rows).toEqual([{ extname: 'btree_gist' }]);
  });
});

describeSqlLayer('PGlite', executor);
describeSqlClock('PGlite', executor);

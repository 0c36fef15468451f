import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup from '../../src/global-setup.js';
import {
  cloneDatabase,
  databaseUrl,
  dropDatabase,
  ensurePgliteSnapshot,
  ensurePostgresTemplate,
  type HarnessRunContext,
  openPgliteSnapshot,
  postgresUrl,
  quoteIdentifier,
  requirePostgres,
  withAdminClient,
} from '../../src/index.js';

const postgres = await requirePostgres();
const unique = `${Date.now().toString(36)}${process.pid}`;
const sourceDir = mkdtempSync(join(tmpdir(), 'cq-template-sources-'));
// A migration no other run has, so the template and snapshot are built here, not reused.
writeFileSync(join(sourceDir, '0001_marker.sql'), `CREATE TABLE marker_${unique} (id int);`);
const sources = [{ namespace: 'marker', directory: sourceDir }];

afterAll(() => rmSync(sourceDir, { recursive: true, force: true }));

describe.skipIf(!postgres.available)('ensurePostgresTemplate', () => {
  it('builds a cloneable template with btree_gist and the migrations when they are new', async () => {
    const adminUrl = postgresUrl();
    const template = await ensurePostgresTemplate(adminUrl, { sources });
    const clone = await cloneDatabase(adminUrl, template);
    try {
      const { rows } = await withAdminClient(databaseUrl(adminUrl, clone), (client) =>
        client.query("SELECT extname FROM pg_extension WHERE extname = 'btree_gist'"),
      );
      expect(rows).toEqual([{ extname: 'btree_gist' }]);
      const applied = await withAdminClient(databaseUrl(adminUrl, clone), (client) =>
        client.query('SELECT namespace, version FROM carequeue.schema_migrations'),
      );
      expect(applied.rows).toEqual([{ namespace: 'marker', version: 1 }]);
    } finally {
      await dropDatabase(adminUrl, clone);
      await withAdminClient(adminUrl, async (client) => {
        await client.query(`ALTER DATABASE ${quoteIdentifier(template)} IS_TEMPLATE false`);
        await client.query(`DROP DATABASE ${quoteIdentifier(template)}`);
      });
    }
  });
});

describe('ensurePgliteSnapshot', () => {
  it('writes a snapshot that restores with the migrations when they are new', async () => {
    const path = await ensurePgliteSnapshot(sources);
    try {
      expect(await ensurePgliteSnapshot(sources)).toBe(path);
      const db = await openPgliteSnapshot(path);
      try {
        const { rows } = await db.query(
          "SELECT 1 AS found FROM pg_extension WHERE extname = 'btree_gist'",
        );
        expect(rows).toEqual([{ found: 1 }]);
        const marker = await db.query(`SELECT count(*)::int AS n FROM marker_${unique}`);
        expect(marker.rows).toEqual([{ n: 0 }]);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(path, { force: true });
    }
  }, 300_000);
});

describe('global setup', () => {
  it('provides the run id, template and snapshot when it runs', async () => {
    const provided = new Map<string, unknown>();
    const project = { provide: (key: string, value: unknown) => provided.set(key, value) };
    await setup(project as unknown as TestProject);
    const context = provided.get('carequeueHarness') as HarnessRunContext;
    expect(context.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.pgliteSnapshot).toMatch(/pglite-.+\.tar$/);
    if (postgres.available) expect(context.postgresTemplate?.name).toMatch(/^cq_tpl_[0-9a-f]{16}$/);
  }, 300_000);
});

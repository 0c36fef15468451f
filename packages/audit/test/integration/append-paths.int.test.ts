import { randomUUID } from 'node:crypto';
import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { createPgExecutor, createPgliteExecutor, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit-event.js';
import { postgresAuditStore, recordInTransaction } from '../../src/adapters/postgres.js';
import { payloadHash } from '../../src/canonical-form.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';

const postgres = await requirePostgres();

function appendPathScenarios(name: string, executor: () => SqlExecutor): void {
  describe(`single and batched appends on ${name}`, () => {
    it('stores a lone event (typed parameters) exactly as a batch stores it, and ignores a replayed one', async () => {
      const sql = executor();
      const store = postgresAuditStore({ executor: sql });
      const tenantId = randomUUID();
      const odd: Partial<AuditEvent> = {
        tenantId,
        oldValue: ['a', { b: null }],
        newValue: 'plain text',
        changedFields: [],
        dataCategories: [],
        metadata: { nested: { list: [1, 2.5, true] }, quote: 'say "hi" é ✓' },
        userId: null,
        ipAddress: null,
      };
      const lone = sampleAuditEvent({ ...odd, timestamp: new Date(Date.UTC(2026, 0, 1, 8)) });
      const batched = [
        sampleAuditEvent({ ...odd, timestamp: new Date(Date.UTC(2026, 0, 1, 9)) }),
        sampleAuditEvent({ ...odd, timestamp: new Date(Date.UTC(2026, 0, 1, 10)) }),
      ];
      await sql.transaction((tx) => recordInTransaction(tx, lone));
      await sql.transaction((tx) => recordInTransaction(tx, lone));
      await sql.transaction((tx) => recordInTransaction(tx, batched));
      await store.seal(tenantId);
      const page = await store.query({ tenantId, sortBy: 'sequence' });
      expect(page.items).toHaveLength(3);
      for (const [index, event] of [lone, ...batched].entries()) {
        const stored = page.items[index]!;
        const { sequence, payloadHash: hash, previousHash, ...fields } = stored;
        expect(fields).toEqual(event);
        expect(sequence).toBe(index + 1);
        expect(hash).toBe(payloadHash(event, previousHash!));
      }
      expect(await store.verify(tenantId)).toMatchObject({ ok: true, checked: 3 });
    });
  });
}

describe.skipIf(!postgres.available)('append paths on Postgres', () => {
  const db = useTestDatabase();
  appendPathScenarios('postgres', () => createPgExecutor({ pool: db.pool }));
});

describe('append paths on PGlite', () => {
  const pglite = useTestPglite();
  appendPathScenarios('pglite', () => createPgliteExecutor(pglite.db));
});

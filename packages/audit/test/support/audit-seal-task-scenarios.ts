import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuditSealTask } from '../../src/audit-seal-task.js';
import type { AuditStore } from '../../src/audit-store.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';

/** Appends `count` unsealed events of the tenant, one second apart. */
async function appendEvents(store: AuditStore, tenantId: string, count: number): Promise<void> {
  await store.append(
    Array.from({ length: count }, (_, index) =>
      sampleAuditEvent({ tenantId, timestamp: new Date(Date.UTC(2026, 2, 1, 9, 0, index)) }),
    ),
  );
}

/** The store, recording the limit of every `seal` call. */
function countingSeals(store: AuditStore): { store: AuditStore; limits: number[] } {
  const limits: number[] = [];
  return {
    limits,
    store: {
      ...store,
      seal: (tenantId, limit) => {
        limits.push(limit as number);
        return store.seal(tenantId, limit);
      },
    },
  };
}

/** The seal task on one store: the same behaviour on memory, Postgres and PGlite. */
export function auditSealTaskScenarios(
  name: string,
  store: () => Promise<AuditStore> | AuditStore,
): void {
  describe(`createAuditSealTask on ${name}`, () => {
    it('seals batch after batch until a batch is not full, and resolves how many it sealed', async () => {
      const audited = await store();
      const tenantId = randomUUID();
      await appendEvents(audited, tenantId, 7);
      const counted = countingSeals(audited);

      const sealed = await createAuditSealTask({ store: counted.store, batchSize: 3 }).run(
        tenantId,
      );

      expect(sealed).toBe(7);
      expect(counted.limits).toEqual([3, 3, 3]);
      expect(await audited.head(tenantId)).toMatchObject({ sequence: 7 });
      expect(await audited.verify(tenantId)).toMatchObject({ ok: true });
    });

    it('asks once more after a full last batch, and stops when that call seals nothing', async () => {
      const audited = await store();
      const tenantId = randomUUID();
      await appendEvents(audited, tenantId, 6);
      const counted = countingSeals(audited);

      const sealed = await createAuditSealTask({ store: counted.store, batchSize: 3 }).run(
        tenantId,
      );

      expect(sealed).toBe(6);
      expect(counted.limits).toEqual([3, 3, 3]);
      expect(await audited.head(tenantId)).toMatchObject({ sequence: 6 });
    });

    it("seals only the given tenant's chain", async () => {
      const audited = await store();
      const tenantId = randomUUID();
      const otherTenantId = randomUUID();
      await appendEvents(audited, tenantId, 2);
      await appendEvents(audited, otherTenantId, 2);

      await createAuditSealTask({ store: audited }).run(tenantId);

      expect(await audited.head(tenantId)).toMatchObject({ sequence: 2 });
      expect(await audited.head(otherTenantId)).toMatchObject({ sequence: 0 });
    });

    it('seals only what arrived since when it runs again (a retried job seals nothing twice)', async () => {
      const audited = await store();
      const tenantId = randomUUID();
      const task = createAuditSealTask({ store: audited, batchSize: 2 });
      await appendEvents(audited, tenantId, 3);
      expect(await task.run(tenantId)).toBe(3);

      expect(await task.run(tenantId)).toBe(0);
      await appendEvents(audited, tenantId, 1);
      expect(await task.run(tenantId)).toBe(1);

      expect(await audited.head(tenantId)).toMatchObject({ sequence: 4 });
      expect(await audited.verify(tenantId)).toMatchObject({ ok: true });
    });
  });
}

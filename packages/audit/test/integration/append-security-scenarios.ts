import { randomUUID } from 'node:crypto';
import { withClaims, type JwtClaims, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit-event.js';
import { postgresAuditStore, recordInTransaction } from '../../src/adapters/postgres.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';

/** A tenant with a receptionist and a patient, as their claims name them. */
export interface AppendTenant {
  readonly tenantId: string;
  readonly staffUser: string;
  readonly patientUser: string;
  readonly patientId: string;
  readonly staff: JwtClaims;
  readonly patient: JwtClaims;
}

/** Claims for a fresh tenant's receptionist and patient. */
export function appendTenant(): AppendTenant {
  const tenantId = randomUUID();
  const staffUser = randomUUID();
  const patientUser = randomUUID();
  const patientId = randomUUID();
  return {
    tenantId,
    staffUser,
    patientUser,
    patientId,
    staff: {
      sub: staffUser,
      role: 'authenticated',
      app_metadata: { tenant_id: tenantId, roles: ['receptionist'] },
    },
    patient: {
      sub: patientUser,
      role: 'authenticated',
      app_metadata: { tenant_id: tenantId, roles: ['patient'], patient_id: patientId },
    },
  };
}

/**
 * Issue 20's findings on the audit append path, through the Postgres store and recordInTransaction
 * as the server's pool (trusted) and inside an end user's transaction (`withClaims`).
 */
export function appendSecurityScenarios(executor: () => SqlExecutor): void {
  const store = () => postgresAuditStore({ executor: executor() });
  const asUser = (claims: JwtClaims, events: AuditEvent | readonly AuditEvent[]) =>
    withClaims(executor(), claims, (tx) => recordInTransaction(tx, events));

  describe('the audit append path', () => {
    it("re-inserting a sealed event's id with another timestamp is refused and sealing continues", async () => {
      const t = appendTenant();
      const sealed = sampleAuditEvent({ tenantId: t.tenantId, userId: t.staffUser });
      await asUser(t.staff, sealed);
      expect(await store().seal(t.tenantId)).toBe(1);

      const later = new Date(Date.UTC(2026, 5, 1));
      const reused = { ...sealed, action: 'forged', timestamp: later };
      await expect(asUser(t.staff, reused)).rejects.toMatchObject({ code: 'AUDIT_STORE_FAILED' });
      await expect(
        asUser(t.staff, [reused, sampleAuditEvent({ tenantId: t.tenantId })]),
      ).rejects.toMatchObject({ code: 'AUDIT_STORE_FAILED' });
      // The server's own pool is refused as well: an id names one event.
      await expect(store().append([reused])).rejects.toMatchObject({
        code: 'AUDIT_STORE_FAILED',
        cause: { code: 'UNIQUE_VIOLATION' },
      });

      const next = sampleAuditEvent({ tenantId: t.tenantId, userId: t.staffUser });
      await asUser(t.staff, next);
      expect(await store().seal(t.tenantId)).toBe(1);
      expect(await store().verify(t.tenantId)).toMatchObject({ ok: true, checked: 2 });
      const trail = await store().query({ tenantId: t.tenantId, sortBy: 'sequence' });
      expect(trail.items.map((log) => [log.id, log.action, log.sequence])).toEqual([
        [sealed.id, sealed.action, 1],
        [next.id, next.action, 2],
      ]);
    });

    it('stores a replayed event once, as before', async () => {
      const t = appendTenant();
      const event = sampleAuditEvent({ tenantId: t.tenantId });
      await store().append([event]);
      await store().append([event]);
      await executor().transaction((tx) => recordInTransaction(tx, event));
      expect((await store().query({ tenantId: t.tenantId })).items).toHaveLength(1);
    });
  });
}

import { randomUUID } from 'node:crypto';
import {
  freezeSqlClock,
  releaseSqlClock,
  withClaims,
  type JwtClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit-event.js';
import {
  postgresAuditStore,
  recordInTransaction,
  toEventRecord,
} from '../../src/adapters/postgres.js';
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

    it('a patient cannot append an event claiming staff user X exported patient Y', async () => {
      const t = appendTenant();
      const forged = sampleAuditEvent({
        tenantId: t.tenantId,
        userId: t.staffUser,
        category: 'export',
        action: 'export',
        patientId: randomUUID(),
        recipient: 'Acme Insurance',
      });
      const own = sampleAuditEvent({ tenantId: t.tenantId, patientId: t.patientId });
      for (const attempt of [
        forged,
        [own, forged],
        { ...forged, userId: t.patientUser },
        { ...forged, userId: null },
      ]) {
        await expect(asUser(t.patient, attempt)).rejects.toMatchObject({
          code: 'AUDIT_STORE_FAILED',
          cause: { code: 'SQL_PERMISSION_DENIED' },
        });
      }
      // Nor straight into the table, as PostgREST would let it try.
      await expect(
        withClaims(executor(), t.patient, (tx) =>
          tx.query('SELECT audit.append_events($1::jsonb)', [
            JSON.stringify([toEventRecord(forged)]),
          ]),
        ),
      ).rejects.toMatchObject({ code: 'SQL_PERMISSION_DENIED' });
      await expect(
        withClaims(executor(), t.patient, (tx) =>
          tx.query(
            `INSERT INTO audit.events (id, tenant_id, user_id, category, action, resource_type,
               outcome, "timestamp", retention_class)
             VALUES ($1, $2, $3, 'export', 'export', 'Patient', 'success', now(), 'standard')`,
            [forged.id, t.tenantId, t.staffUser],
          ),
        ),
      ).rejects.toMatchObject({ code: 'SQL_PERMISSION_DENIED' });
      // A role claim is data: only the database role makes a caller trusted.
      await expect(
        executor().transaction(async (tx) => {
          await tx.query(
            "SELECT set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)",
            [JSON.stringify({ ...t.patient, role: 'service_role' })],
          );
          await recordInTransaction(tx, forged);
        }),
      ).rejects.toMatchObject({ code: 'AUDIT_STORE_FAILED' });
      expect((await store().query({ tenantId: t.tenantId })).items).toEqual([]);
    });

    it("takes an end user's tenant, user id and time from their claims and the SQL clock, and refuses events naming others", async () => {
      const t = appendTenant();
      const sqlNow = new Date(Date.UTC(2026, 2, 2, 9, 0, 0));
      await freezeSqlClock(executor(), sqlNow);
      try {
        const claimed = sampleAuditEvent({
          tenantId: t.tenantId,
          userId: null,
          timestamp: new Date(Date.UTC(2020, 0, 1)),
        });
        await asUser(t.staff, claimed);
        const [stored] = (await store().query({ tenantId: t.tenantId })).items;
        expect(stored).toMatchObject({ id: claimed.id, userId: t.staffUser, timestamp: sqlNow });
        for (const other of [
          sampleAuditEvent({ tenantId: randomUUID(), userId: t.staffUser }),
          sampleAuditEvent({ tenantId: t.tenantId, userId: randomUUID() }),
        ]) {
          await expect(asUser(t.staff, other)).rejects.toMatchObject({
            cause: { code: 'SQL_PERMISSION_DENIED' },
          });
        }
        // The server's own pool keeps its clock and names whoever acted.
        const worker = sampleAuditEvent({ tenantId: t.tenantId, userId: null });
        await store().append([worker]);
        const page = await store().query({ tenantId: t.tenantId, userId: undefined });
        expect(page.items.find((log) => log.id === worker.id)).toMatchObject({
          userId: null,
          timestamp: worker.timestamp,
        });
      } finally {
        await releaseSqlClock(executor());
      }
    });

    it('lets a patient record their own reads, exports, changes and sign-ins and the side effects of their booking, and nothing else', async () => {
      const t = appendTenant();
      const other = randomUUID();
      const event = (category: AuditEvent['category'], action: string, patientId: string | null) =>
        sampleAuditEvent({
          tenantId: t.tenantId,
          userId: t.patientUser,
          category,
          action,
          patientId,
        });
      const allowed = [
        event('access', 'read', t.patientId),
        event('export', 'export', t.patientId),
        event('modification', 'cancel', t.patientId),
        event('modification', 'expire-hold', other),
        event('modification', 'offer-lapsed', other),
        event('auth', 'login', null),
      ];
      const refused = [
        event('access', 'read', other),
        event('access', 'read', null),
        event('modification', 'cancel', other),
        event('modification', 'erase', t.patientId),
        event('modification', 'crypto_shred', t.patientId),
        event('auth', 'break_glass', t.patientId),
        event('auth', 'role_change', null),
      ];
      for (const allowedEvent of allowed) await asUser(t.patient, allowedEvent);
      for (const refusedEvent of refused) {
        await expect(asUser(t.patient, refusedEvent), refusedEvent.action).rejects.toMatchObject({
          cause: { code: 'SQL_PERMISSION_DENIED' },
        });
      }
      const stored = (await store().query({ tenantId: t.tenantId })).items;
      expect(stored.map((log) => log.id).sort()).toEqual(allowed.map((e) => e.id).sort());
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

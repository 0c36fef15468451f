import { randomUUID } from 'node:crypto';
import { coreMigrations, migrate, withClaims, type SqlExecutor } from '@carequeue/core/sql';
import {
  emptyPglite,
  emptyPostgres,
  migrationsBefore,
  requirePostgres,
  type EmptyDatabase,
} from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit-event.js';
import { auditMigrations } from '../../src/audit-migrations.js';
import { postgresAuditStore, toEventRecord } from '../../src/adapters/postgres.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';
import { appendTenant } from './append-security-scenarios.js';

const postgres = await requirePostgres();

// Only SQL functions every schema since 0002 has: the stores of today read columns 0008 adds.
function append(sql: SqlExecutor, events: readonly AuditEvent[]): Promise<unknown> {
  return sql.query('SELECT audit.append_events($1::jsonb)', [
    JSON.stringify(events.map(toEventRecord)),
  ]);
}

async function chainOf(sql: SqlExecutor, tenantId: string) {
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT sequence::int, event_id, previous_hash, payload_hash FROM audit.chain
     WHERE tenant_id = $1 ORDER BY sequence`,
    [tenantId],
  );
  return rows;
}

function upgradeScenario(name: string, open: () => Promise<EmptyDatabase>): void {
  it(`keeps every event and link of a trail written before migration 0008 on ${name}, seals again and refuses the attacks it let through`, async () => {
    const db = await open();
    try {
      const sql = db.executor;
      await migrate(sql, [coreMigrations, migrationsBefore(auditMigrations, 8)]);
      const t = appendTenant();
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));
      const [first, second, third] = [1, 2, 3].map((minute) =>
        sampleAuditEvent({ tenantId: t.tenantId, userId: t.staffUser, timestamp: at(minute) }),
      ) as [AuditEvent, AuditEvent, AuditEvent];
      await append(sql, [first, second, third]);
      // The findings of issue 20, as today's schema lets them happen.
      const forged = sampleAuditEvent({
        tenantId: t.tenantId,
        userId: t.staffUser,
        category: 'export',
        action: 'export',
        patientId: randomUUID(),
        timestamp: at(4),
      });
      await withClaims(sql, t.patient, (tx) => append(tx, [forged]));
      await sql.query('SELECT audit.seal($1)', [t.tenantId]);
      const reused = { ...second, action: 'forged', timestamp: at(5) };
      await withClaims(sql, t.staff, (tx) => append(tx, [reused]));
      const later = sampleAuditEvent({ tenantId: t.tenantId, timestamp: at(6) });
      await append(sql, [later]);
      await expect(sql.query('SELECT audit.seal($1)', [t.tenantId])).rejects.toMatchObject({
        code: 'UNIQUE_VIOLATION',
      });
      const chainBefore = await chainOf(sql, t.tenantId);
      expect(chainBefore).toHaveLength(4);

      await migrate(sql, [coreMigrations, auditMigrations]);

      const store = postgresAuditStore({ executor: sql });
      expect(await chainOf(sql, t.tenantId)).toEqual(chainBefore);
      const { rows: keys } = await sql.query<{ event_id: string; event_timestamp: Date }>(
        'SELECT event_id, event_timestamp FROM audit.chain WHERE tenant_id = $1 ORDER BY sequence',
        [t.tenantId],
      );
      expect(keys.map((row) => [row.event_id, row.event_timestamp.toISOString()])).toEqual(
        [first, second, third, forged].map((e) => [e.id, e.timestamp.toISOString()]),
      );
      // Sealing works again: the later event is sealed, the reused id stays unsealed.
      expect(await store.seal(t.tenantId)).toBe(1);
      expect(await store.verify(t.tenantId)).toMatchObject({ ok: true, checked: 5 });
      const trail = await store.query({ tenantId: t.tenantId, sortBy: 'timestamp' });
      expect(trail.items.map((log) => [log.id, log.action, log.sequence])).toEqual([
        [first.id, first.action, 1],
        [second.id, second.action, 2],
        [third.id, third.action, 3],
        [forged.id, 'export', 4],
        [second.id, 'forged', null],
        [later.id, later.action, 5],
      ]);
      const { rows: registered } = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit.event_ids WHERE id = ANY($1::uuid[])',
        [[first, second, third, forged, later].map((e) => e.id)],
      );
      expect(registered).toEqual([{ n: 5 }]);

      // What the old schema let through is refused now.
      await expect(
        withClaims(sql, t.patient, (tx) =>
          append(tx, [{ ...forged, id: randomUUID(), patientId: randomUUID() }]),
        ),
      ).rejects.toMatchObject({ code: 'SQL_PERMISSION_DENIED' });
      await expect(
        withClaims(sql, t.staff, (tx) => append(tx, [{ ...third, timestamp: at(7) }])),
      ).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION' });
    } finally {
      await db.close();
    }
  });
}

describe('audit migrations 0008 and 0009 on a populated database', () => {
  upgradeScenario('PGlite', emptyPglite);
  describe.skipIf(!postgres.available)('on Postgres', () => {
    upgradeScenario('Postgres', emptyPostgres);
  });
});

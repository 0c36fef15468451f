import { randomUUID } from 'node:crypto';
import { withClaims, type JwtClaims, type SqlExecutor } from '@carequeue/core/sql';
import { expect, it } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';

interface VisibleRows {
  readonly events: string[];
  readonly chain: number;
}

async function visibleTo(executor: SqlExecutor, claims: JwtClaims): Promise<VisibleRows> {
  return withClaims(executor, claims, async (tx) => {
    const events = await tx.query<{ patient_id: string | null }>(
      'SELECT patient_id FROM audit.events ORDER BY patient_id NULLS LAST',
    );
    const chain = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.chain');
    return {
      events: events.rows.map((row) => row.patient_id ?? 'none'),
      chain: chain.rows[0]?.n ?? -1,
    };
  });
}

/** Registers the patient-scoped read policy scenarios for one executor. */
export function patientReadScenarios(executor: () => SqlExecutor): void {
  async function tenantWithEvents(): Promise<string> {
    const tenantId = randomUUID();
    const store = postgresAuditStore({ executor: executor() });
    await store.append([
      sampleAuditEvent({ tenantId, patientId: 'patient-a' }),
      sampleAuditEvent({ tenantId, patientId: 'patient-a' }),
      sampleAuditEvent({ tenantId, patientId: 'patient-b' }),
      sampleAuditEvent({ tenantId, patientId: null }),
    ]);
    await store.seal(tenantId);
    return tenantId;
  }

  it('shows a patient only the events about their own patient id when they read the trail', async () => {
    const tenantId = await tenantWithEvents();
    const claims = {
      sub: randomUUID(),
      app_metadata: { tenant_id: tenantId, roles: ['patient'], patient_id: 'patient-a' },
    };
    expect(await visibleTo(executor(), claims)).toEqual({
      events: ['patient-a', 'patient-a'],
      chain: 2,
    });
  });

  it('shows staff every event of their tenant when they read the trail', async () => {
    const tenantId = await tenantWithEvents();
    await tenantWithEvents();
    const claims = { sub: randomUUID(), app_metadata: { tenant_id: tenantId, roles: ['admin'] } };
    expect(await visibleTo(executor(), claims)).toEqual({
      events: ['patient-a', 'patient-a', 'patient-b', 'none'],
      chain: 4,
    });
  });

  it('shows nothing when a caller has the patient role but no patient id', async () => {
    const tenantId = await tenantWithEvents();
    const claims = { sub: randomUUID(), app_metadata: { tenant_id: tenantId, roles: ['patient'] } };
    expect(await visibleTo(executor(), claims)).toEqual({ events: [], chain: 0 });
  });

  it('shows a patient nothing of another tenant when their patient id matches there', async () => {
    await tenantWithEvents();
    const claims = {
      sub: randomUUID(),
      app_metadata: { tenant_id: randomUUID(), roles: ['patient'], patient_id: 'patient-a' },
    };
    expect(await visibleTo(executor(), claims)).toEqual({ events: [], chain: 0 });
  });
}

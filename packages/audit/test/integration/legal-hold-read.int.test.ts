import { randomUUID } from 'node:crypto';
import {
  createPgExecutor,
  createPgliteExecutor,
  withClaims,
  type JwtClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase, useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { placeLegalHold } from '../../src/retention/legal-hold.js';

function member(tenantId: string, roles: string[], extra: Record<string, unknown> = {}): JwtClaims {
  return {
    sub: randomUUID(),
    role: 'authenticated',
    app_metadata: { tenant_id: tenantId, roles, ...extra },
  };
}

/** Audit migration 0010: legal holds are compliance data, read by owners and admins only. */
function legalHoldReadScenarios(executor: () => SqlExecutor): void {
  it('audit.legal_holds is readable by the tenant owners and admins only', async () => {
    const [tenant, other] = [randomUUID(), randomUUID()];
    const patientId = randomUUID();
    for (const tenantId of [tenant, other]) {
      await placeLegalHold(executor(), {
        tenantId,
        patientId,
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2027-01-01T00:00:00Z'),
        reason: 'Litigation 2026-17',
        createdBy: null,
      });
    }
    const holds = async (claims: JwtClaims) =>
      (
        await withClaims(executor(), claims, (tx) =>
          tx.query<{ tenant_id: string }>('SELECT tenant_id::text FROM audit.legal_holds'),
        )
      ).rows;
    expect(await holds(member(tenant, ['patient'], { patient_id: patientId }))).toEqual([]);
    expect(await holds(member(tenant, ['receptionist']))).toEqual([]);
    expect(await holds(member(tenant, ['clinician']))).toEqual([]);
    expect(await holds(member(tenant, ['admin']))).toEqual([{ tenant_id: tenant }]);
    expect(await holds(member(tenant, ['owner']))).toEqual([{ tenant_id: tenant }]);
    expect(await holds(member(other, ['owner']))).toEqual([{ tenant_id: other }]);
  });
}

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('legal holds on Postgres', () => {
  const db = useTestDatabase();
  legalHoldReadScenarios(() => createPgExecutor({ pool: db.pool }));
});

describe('legal holds on PGlite', () => {
  const pglite = useTestPglite();
  legalHoldReadScenarios(() => createPgliteExecutor(pglite.db));
});

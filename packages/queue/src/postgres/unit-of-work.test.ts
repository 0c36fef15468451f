import { sampleAuditEvent } from '@carequeue/audit/testing';
import { uuidv7, type Actor, type TenantId } from '@carequeue/core';
import { TransactionConflictError, type SqlExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import {
  auditedActions,
  seedTenant,
  serviceDependencies,
  staffActor,
} from '../../test/integration/service-fixtures.js';
import { sqlUnits } from './unit-of-work.js';

/** The role and the claims' subject a statement of `tx` runs under. */
async function whoRuns(tx: SqlExecutor): Promise<{ role: string; sub: string | null }> {
  const { rows } = await tx.query<{ role: string; sub: string | null }>(
    `SELECT current_setting('role') AS role,
            current_setting('request.jwt.claims', true)::jsonb ->> 'sub' AS sub`,
  );
  return rows[0]!;
}

function serviceActorOf(tenantId: TenantId): Actor {
  return { ...staffActor(tenantId), roles: ['service'] };
}

describe('sqlUnits', () => {
  const pglite = useTestPglite();

  function setup(
    options: { serviceActorsAsServiceRole?: boolean; conflictAttempts?: number } = {},
  ) {
    const { executor } = serviceDependencies(pglite.db);
    const units = sqlUnits({
      executor,
      ...options,
      scope: (tx, recordAudit) => ({ tx, recordAudit }),
    });
    return { executor, units };
  }

  it('runs a unit under the actor claims and commits its audit events with it', async () => {
    const { executor, units } = setup();
    const tenantId = await seedTenant(executor);
    const actor = staffActor(tenantId);
    const resourceId = uuidv7();

    const runner = await units.asActor(actor, async ({ tx, recordAudit }) => {
      await recordAudit(
        sampleAuditEvent({
          tenantId,
          userId: actor.userId,
          patientId: null,
          resourceId,
          resourceType: 'Clinic',
          action: 'create',
        }),
      );
      return whoRuns(tx);
    });

    expect(runner).toEqual({ role: 'authenticated', sub: actor.userId });
    expect(await auditedActions(executor, resourceId)).toEqual(['Clinic:create']);
  });

  it('rolls back the audit events of a unit whose work throws', async () => {
    const { executor, units } = setup();
    const tenantId = await seedTenant(executor);
    const actor = staffActor(tenantId);
    const resourceId = uuidv7();

    await expect(
      units.asActor(actor, async ({ recordAudit }) => {
        await recordAudit(
          sampleAuditEvent({ tenantId, userId: actor.userId, patientId: null, resourceId }),
        );
        throw new Error('the unit fails');
      }),
    ).rejects.toThrow('the unit fails');

    expect(await auditedActions(executor, resourceId)).toEqual([]);
  });

  it('runs as service_role when asked to, whatever the actor', async () => {
    const { executor, units } = setup();
    const tenantId = await seedTenant(executor);

    expect(await units.asServiceRole(({ tx }) => whoRuns(tx))).toEqual({
      role: 'service_role',
      sub: 'service_role',
    });
    // Without the option a service actor keeps its claims.
    expect((await units.asActor(serviceActorOf(tenantId), ({ tx }) => whoRuns(tx))).role).toBe(
      'authenticated',
    );
  });

  it('runs service actors as service_role when serviceActorsAsServiceRole is set', async () => {
    const { executor, units } = setup({ serviceActorsAsServiceRole: true });
    const tenantId = await seedTenant(executor);

    expect((await units.asActor(serviceActorOf(tenantId), ({ tx }) => whoRuns(tx))).role).toBe(
      'service_role',
    );
    expect((await units.asActor(staffActor(tenantId), ({ tx }) => whoRuns(tx))).role).toBe(
      'authenticated',
    );
  });

  it('runs a unit again after a transaction conflict only when conflictAttempts allows', async () => {
    const once = setup();
    const retried = setup({ conflictAttempts: 3 });
    const tenantId = await seedTenant(once.executor);
    const conflictingOnce = () => {
      let runs = 0;
      return {
        runs: () => runs,
        work: () => {
          runs += 1;
          return runs === 1
            ? Promise.reject(new TransactionConflictError())
            : Promise.resolve('committed');
        },
      };
    };

    const single = conflictingOnce();
    await expect(once.units.asActor(staffActor(tenantId), single.work)).rejects.toBeInstanceOf(
      TransactionConflictError,
    );
    expect(single.runs()).toBe(1);

    const twice = conflictingOnce();
    expect(await retried.units.asActor(staffActor(tenantId), twice.work)).toBe('committed');
    expect(twice.runs()).toBe(2);
  });
});

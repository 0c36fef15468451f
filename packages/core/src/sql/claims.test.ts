import { describe, expect, it } from 'vitest';
import { ActorSchema, type Actor } from '../authorization/actor.js';
import { ValidationError } from '../errors.js';
import type { SqlExecutor } from './executor.js';
import { claimsForActor, withClaims, type JwtClaims } from './claims.js';

describe('claimsForActor', () => {
  it('puts tenant, roles and scope into app_metadata when the actor has them', () => {
    const actor = ActorSchema.parse({
      userId: '0190a000-0000-7000-8000-0000000000f1',
      tenantId: '0190a000-0000-7000-8000-000000000001',
      roles: ['clinician'],
      aal: 'aal2',
      staffId: '0190a000-0000-7000-8000-0000000000b1',
      clinicIds: ['0190a000-0000-7000-8000-0000000000c1'],
    });
    expect(claimsForActor(actor)).toEqual({
      sub: actor.userId,
      role: 'authenticated',
      aal: 'aal2',
      app_metadata: {
        tenant_id: actor.tenantId,
        roles: ['clinician'],
        staff_id: actor.staffId,
        clinic_ids: actor.clinicIds,
      },
    });
  });

  it('links a patient to their own patient id', () => {
    const actor = ActorSchema.parse({
      userId: '0190a000-0000-7000-8000-0000000000f2',
      tenantId: '0190a000-0000-7000-8000-000000000001',
      roles: ['patient'],
      aal: 'aal1',
      patientId: '0190a000-0000-7000-8000-0000000000a1',
    });
    expect(claimsForActor(actor).app_metadata).toEqual({
      tenant_id: actor.tenantId,
      roles: ['patient'],
      patient_id: actor.patientId,
    });
  });
});

describe('withClaims', () => {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;

  /** An executor that records the statements it is asked to run, to show none ran. */
  function recordingExecutor(): { executor: SqlExecutor; statements: string[] } {
    const statements: string[] = [];
    const executor: SqlExecutor = {
      query: (text) => {
        statements.push(text);
        return Promise.resolve({ rows: [], rowCount: 0 } as never);
      },
      exec: (script) => {
        statements.push(script);
        return Promise.resolve();
      },
      transaction: (fn) => fn(executor),
      queryBeforeCommit: (text) => {
        statements.push(text);
        return Promise.resolve();
      },
      queryCount: () => statements.length,
    };
    return { executor, statements };
  }

  async function rejectionOf(
    claims: unknown,
  ): Promise<{ error: ValidationError; statements: string[] }> {
    const { executor, statements } = recordingExecutor();
    const caught: unknown = await withClaims(executor, claims as JwtClaims, () =>
      Promise.resolve(),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.message).not.toContain(marker);
    expect(JSON.stringify(error.toProblem())).not.toContain(marker);
    return { error, statements };
  }

  it('throws ValidationError before any query when the claims are circular (circular object overflows the stack)', async () => {
    const app: Record<string, unknown> = { tenant_id: marker };
    app['self'] = app;
    const { error, statements } = await rejectionOf({ sub: marker, app_metadata: app });
    expect(error.issues.map((issue) => issue.path)).toEqual(['claims']);
    expect(statements).toEqual([]);
  });

  it('throws ValidationError naming the argument when withClaims gets null or no sub (raw TypeError in withClaims)', async () => {
    expect((await rejectionOf(null)).error.issues.map((issue) => issue.path)).toEqual(['claims']);
    const noSub = await rejectionOf({ app_metadata: { tenant_id: marker } });
    expect(noSub.error.issues.map((issue) => issue.path)).toEqual(['claims.sub']);
    expect(noSub.statements).toEqual([]);
  });
});

describe('claimsForActor with a null actor', () => {
  it('throws ValidationError naming the argument when claimsForActor gets null (raw TypeError in claimsForActor)', () => {
    expect(() => claimsForActor(null as unknown as Actor)).toThrow(ValidationError);
  });
});

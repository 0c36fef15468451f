import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { ClinicId, PatientId, TenantId } from '../ids.js';
import { ActorSchema, type Actor } from './actor.js';
import { can } from './authorize.js';
import { createBreakGlass, type BreakGlassOpenedEvent } from './break-glass.js';
import { memoryBreakGlassStore } from './break-glass-store.js';

const tenantId = TenantId.parse('0190a000-0000-7000-8000-000000000001');
const patientId = PatientId.parse('0190a000-0000-7000-8000-0000000000a1');
const outsideClinic = ClinicId.parse('0190a000-0000-7000-8000-0000000000c2');
const record = { tenantId, clinicId: outsideClinic, patientId };

function staff(roles: Actor['roles'], aal: Actor['aal'] = 'aal2'): Actor {
  return ActorSchema.parse({
    userId: '0190a000-0000-7000-8000-0000000000f1',
    tenantId,
    roles,
    aal,
    clinicIds: ['0190a000-0000-7000-8000-0000000000c1'],
  });
}

function setup(onOpened: (event: BreakGlassOpenedEvent) => void | Promise<void> = () => {}) {
  const clock = createFakeClock();
  const store = memoryBreakGlassStore();
  let ids = 0;
  const breakGlass = createBreakGlass({
    clock,
    store,
    onOpened,
    generateId: () => `grant-${++ids}`,
  });
  return { clock, store, breakGlass };
}

describe('createBreakGlass', () => {
  it('opens access to the record, records the grant and raises an alert when a reason is given', async () => {
    const events: BreakGlassOpenedEvent[] = [];
    const { breakGlass, store, clock } = setup((event) => {
      events.push(event);
    });
    const clinician = staff(['clinician']);
    expect(can(clinician, 'patient:read', record, await breakGlass.optionsFor(clinician))).toBe(
      false,
    );
    const grant = await breakGlass.open(clinician, {
      patientId,
      reason: '  Patient collapsed in the waiting room  ',
    });
    expect(grant).toMatchObject({
      id: 'grant-1',
      reason: 'Patient collapsed in the waiting room',
      openedAt: clock.now(),
      expiresAt: clock.now() + 3_600_000,
    });
    expect(store.all()).toEqual([grant]);
    expect(events).toEqual([{ type: 'break-glass.opened', grant }]);
    expect(can(clinician, 'patient:read', record, await breakGlass.optionsFor(clinician))).toBe(
      true,
    );
  });

  it('stops honouring the grant once it expires', async () => {
    const { breakGlass, clock } = setup();
    const clinician = staff(['clinician']);
    await breakGlass.open(clinician, {
      patientId,
      reason: 'Emergency surgery',
      durationMs: 60_000,
    });
    await clock.advance(59_999);
    expect(can(clinician, 'patient:read', record, await breakGlass.optionsFor(clinician))).toBe(
      true,
    );
    await clock.advance(1);
    expect(can(clinician, 'patient:read', record, await breakGlass.optionsFor(clinician))).toBe(
      false,
    );
  });

  it('stops honouring the grant when it is revoked, and keeps the record', async () => {
    const { breakGlass, store } = setup();
    const clinician = staff(['clinician']);
    const grant = await breakGlass.open(clinician, { patientId, reason: 'Emergency surgery' });
    await breakGlass.revoke(grant.id);
    await breakGlass.revoke('unknown');
    expect(can(clinician, 'patient:read', record, await breakGlass.optionsFor(clinician))).toBe(
      false,
    );
    expect(store.all()).toHaveLength(1);
  });

  it('refuses without a meaningful reason or with a duration beyond the maximum', async () => {
    const { breakGlass, store } = setup();
    const error = await breakGlass
      .open(staff(['clinician']), { patientId, reason: '   ', durationMs: 5 * 3_600_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'reason',
      'durationMs',
    ]);
    expect(store.all()).toEqual([]);
  });

  it('refuses actors who are not clinicians, or clinicians without MFA', async () => {
    const { breakGlass } = setup();
    for (const actor of [staff(['receptionist']), staff(['admin']), staff(['clinician'], 'aal1')]) {
      await expect(
        breakGlass.open(actor, { patientId, reason: 'Emergency surgery' }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it('revokes the grant and rethrows when the alert cannot be raised', async () => {
    const { breakGlass, store } = setup(() => Promise.reject(new Error('pager down')));
    const clinician = staff(['clinician']);
    await expect(
      breakGlass.open(clinician, { patientId, reason: 'Emergency surgery' }),
    ).rejects.toThrow('pager down');
    expect(store.all()).toHaveLength(1);
    expect(can(clinician, 'patient:read', record, await breakGlass.optionsFor(clinician))).toBe(
      false,
    );
  });

  it('open refuses a request that is not an object, a non-string reason or a non-UUID patient id with a ValidationError before storing anything (raw TypeError in open)', async () => {
    const { breakGlass, store } = setup();
    const clinician = staff(['clinician']);
    for (const [request, path] of [
      [-1, 'request'],
      ['Zq81LmXv03Pa-01-01', 'request'],
      [{ patientId, reason: { userId: 'x' } }, 'reason'],
      [{ patientId, reason: 'Emergency \u0000Zq81LmXv03Pa' }, 'reason'],
      [{ patientId: 'Zq81LmXv03Pa', reason: 'Emergency surgery' }, 'patientId'],
    ] as const) {
      const error = await breakGlass.open(clinician, request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([path]);
      expect(JSON.stringify((error as ValidationError).toProblem())).not.toContain('Zq81LmXv03Pa');
    }
    expect(store.all()).toEqual([]);
  });

  it('open and optionsFor refuse a malformed actor with a ValidationError naming actor fields before reading the store (raw TypeError in optionsFor)', async () => {
    const { breakGlass } = setup();
    const error = await breakGlass.optionsFor(null as never).catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['actor']);
    const { tenantId: _omitted, ...withoutTenant } = staff(['clinician']);
    const missing = await breakGlass
      .open(withoutTenant as never, { patientId, reason: 'Emergency surgery' })
      .catch((e: unknown) => e);
    expect((missing as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'actor.tenantId',
    ]);
  });

  it('revoke refuses a grant id that is not a string and createBreakGlass refuses options without a store, with a ValidationError instead of a raw TypeError', async () => {
    const { breakGlass } = setup();
    await expect(breakGlass.revoke({ id: 'grant-1' } as never)).rejects.toMatchObject({
      issues: [{ path: 'grantId' }],
    });
    expect(() => createBreakGlass(null as never)).toThrow(ValidationError);
    expect(() =>
      createBreakGlass({ clock: createFakeClock(), store: {} as never, onOpened: () => undefined }),
    ).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'options.store' })] }),
    );
  });
});

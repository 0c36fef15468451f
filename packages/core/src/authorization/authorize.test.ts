import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../errors.js';
import { ClinicId, PatientId, TenantId, UserId } from '../ids.js';
import { ActorSchema, ASSURANCE_LEVELS, ROLES, type Actor } from './actor.js';
import { authorize, can, type ResourceScope } from './authorize.js';
import type { BreakGlassGrant } from './break-glass-grant.js';
import { isPhiPermission, PERMISSIONS } from './permissions.js';
import { STAFF_ROLES, TENANT_WIDE_ROLES } from './role-permissions.js';

const TENANTS = ['0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002'];
const CLINICS = [
  '0190a000-0000-7000-8000-0000000000c1',
  '0190a000-0000-7000-8000-0000000000c2',
  '0190a000-0000-7000-8000-0000000000c3',
];
const PATIENTS = [
  '0190a000-0000-7000-8000-0000000000a1',
  '0190a000-0000-7000-8000-0000000000a2',
  '0190a000-0000-7000-8000-0000000000a3',
];
const [tenantA, tenantB] = (TENANTS as [string, string]).map((id) => TenantId.parse(id)) as [
  TenantId,
  TenantId,
];
const [clinic1, clinic2] = (CLINICS as [string, string]).map((id) => ClinicId.parse(id)) as [
  ClinicId,
  ClinicId,
];
const [patient1, patient2] = (PATIENTS as [string, string]).map((id) => PatientId.parse(id)) as [
  PatientId,
  PatientId,
];

function actor(overrides: Readonly<Record<string, unknown>>): Actor {
  return ActorSchema.parse({
    userId: '0190a000-0000-7000-8000-0000000000f1',
    tenantId: tenantA,
    aal: 'aal2',
    ...overrides,
  });
}

const clinician = actor({ roles: ['clinician'], clinicIds: [clinic1] });
const patient = actor({ roles: ['patient'], aal: 'aal1', patientId: patient1 });

const actorArbitrary = fc
  .record({
    tenantId: fc.constantFrom(...TENANTS),
    roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 2 }),
    aal: fc.constantFrom(...ASSURANCE_LEVELS),
    patientId: fc.option(fc.constantFrom(...PATIENTS), { nil: undefined }),
    clinicIds: fc.option(fc.uniqueArray(fc.constantFrom(...CLINICS)), { nil: undefined }),
  })
  .map((fields) => actor(fields));

const resourceArbitrary: fc.Arbitrary<ResourceScope> = fc.record(
  {
    tenantId: fc.constantFrom(...TENANTS).map((id) => TenantId.parse(id)),
    clinicId: fc.constantFrom(...CLINICS).map((id) => ClinicId.parse(id)),
    patientId: fc.constantFrom(...PATIENTS).map((id) => PatientId.parse(id)),
  },
  { requiredKeys: ['tenantId'] },
);

const isOnly = (subject: Actor, role: Actor['roles'][number]): boolean =>
  subject.roles.every((held) => held === role);

describe('authorize', () => {
  it('never lets a patient reach another patient, nor anyone reach another tenant, nor aal1 staff reach PHI', () => {
    fc.assert(
      fc.property(
        actorArbitrary,
        fc.constantFrom(...PERMISSIONS),
        resourceArbitrary,
        (subject, permission, resource) => {
          if (!can(subject, permission, resource)) return;
          expect(resource.tenantId).toBe(subject.tenantId);
          if (isOnly(subject, 'patient') && resource.patientId !== undefined) {
            expect(resource.patientId).toBe(subject.patientId);
          }
          const isStaff = subject.roles.some((role) =>
            (STAFF_ROLES as readonly string[]).includes(role),
          );
          if (isStaff && isPhiPermission(permission)) expect(subject.aal).not.toBe('aal1');
          const clinicScoped =
            isStaff &&
            !subject.roles.some((role) =>
              (TENANT_WIDE_ROLES as readonly string[]).includes(role),
            ) &&
            !subject.roles.includes('service');
          if (clinicScoped && resource.clinicId !== undefined) {
            expect(subject.clinicIds).toContain(resource.clinicId);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('allows a clinician in their own clinic when they have MFA', () => {
    expect(() =>
      authorize(clinician, 'patient:read', {
        tenantId: tenantA,
        clinicId: clinic1,
        patientId: patient2,
      }),
    ).not.toThrow();
  });

  it('throws ForbiddenError naming the permission when no role grants it', () => {
    const error = (() => {
      try {
        authorize(clinician, 'audit:read');
      } catch (caught: unknown) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ permission: 'audit:read', status: 403 });
    expect((error as Error).message).toContain('audit:read');
  });

  it('asks for MFA when staff at aal1 use a PHI permission', () => {
    expect(() => authorize({ ...clinician, aal: 'aal1' }, 'queue:read')).toThrow(/aal2/);
    expect(can({ ...clinician, aal: 'aal1' }, 'clinic:read')).toBe(true);
  });

  it("lets a patient at aal1 reach their own record and nobody else's", () => {
    expect(can(patient, 'appointment:read', { tenantId: tenantA, patientId: patient1 })).toBe(true);
    expect(can(patient, 'appointment:read', { tenantId: tenantA, patientId: patient2 })).toBe(
      false,
    );
    expect(can(patient, 'appointment:read', { tenantId: tenantA, clinicId: clinic1 })).toBe(false);
    expect(can(patient, 'clinic:read', { tenantId: tenantA, clinicId: clinic1 })).toBe(true);
  });

  it('denies staff PHI outside their clinics and records without a clinic', () => {
    expect(() =>
      authorize(clinician, 'patient:read', { tenantId: tenantA, clinicId: clinic2 }),
    ).toThrow(/outside your clinics/);
    expect(can(clinician, 'patient:read', { tenantId: tenantA, patientId: patient1 })).toBe(false);
    expect(can(clinician, 'staff:read', { tenantId: tenantA })).toBe(true);
  });

  it('lets owners, admins and services act across the clinics of their tenant only', () => {
    for (const roles of [['owner'], ['admin'], ['service']] as const) {
      const wide = actor({ roles: [...roles] });
      expect(can(wide, 'patient:read', { tenantId: tenantA, clinicId: clinic2 })).toBe(true);
      expect(() => authorize(wide, 'patient:read', { tenantId: tenantB })).toThrow(
        /another tenant/,
      );
    }
  });

  it('honours a live break-glass grant for that patient only and never after it expires', () => {
    const grant: BreakGlassGrant = {
      id: 'g1',
      tenantId: tenantA,
      userId: clinician.userId,
      patientId: patient1,
      reason: 'Unconscious patient in the ER',
      openedAt: 1_000,
      expiresAt: 2_000,
    };
    const elsewhere = { tenantId: tenantA, clinicId: clinic2 };
    const at = (now: number) => ({ breakGlass: { grants: [grant], now } });
    expect(can(clinician, 'patient:read', { ...elsewhere, patientId: patient1 }, at(1_500))).toBe(
      true,
    );
    expect(can(clinician, 'patient:read', { ...elsewhere, patientId: patient2 }, at(1_500))).toBe(
      false,
    );
    expect(can(clinician, 'patient:read', elsewhere, at(1_500))).toBe(false);
    expect(can(clinician, 'patient:read', { ...elsewhere, patientId: patient1 }, at(2_000))).toBe(
      false,
    );
    expect(can(clinician, 'patient:read', { ...elsewhere, patientId: patient1 }, at(999))).toBe(
      false,
    );
    const colleague = {
      ...clinician,
      userId: UserId.parse('0190a000-0000-7000-8000-0000000000f2'),
    };
    expect(can(colleague, 'patient:read', { ...elsewhere, patientId: patient1 }, at(1_500))).toBe(
      false,
    );
    expect(
      can(clinician, 'patient:read', { tenantId: tenantB, patientId: patient1 }, at(1_500)),
    ).toBe(false);
  });
});

describe('authorize argument checks', () => {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;

  function validationErrorOf(call: () => unknown): ValidationError {
    try {
      call();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return error as ValidationError;
    }
    throw new Error('expected a ValidationError, but the call returned');
  }

  it('throws ValidationError naming the argument when authorize gets null (raw TypeError in authorize)', () => {
    const error = validationErrorOf(() => authorize(null as unknown as Actor, 'patient:read'));
    expect(error.issues.map((issue) => issue.path)).toEqual(['actor']);
  });

  it('throws ValidationError naming the argument when can gets a null resource or options (raw TypeError in authorize)', () => {
    const nullResource = validationErrorOf(() =>
      can(clinician, 'patient:read', null as unknown as ResourceScope),
    );
    expect(nullResource.issues.map((issue) => issue.path)).toEqual(['resource']);
    const nullOptions = validationErrorOf(() =>
      can(clinician, 'patient:read', undefined, null as unknown as object),
    );
    expect(nullOptions.issues.map((issue) => issue.path)).toEqual(['options']);
    const noGrants = validationErrorOf(() =>
      can(clinician, 'patient:read', undefined, {
        breakGlass: { now: 1 } as unknown as { grants: []; now: number },
      }),
    );
    expect(noGrants.issues.map((issue) => issue.path)).toEqual(['options.breakGlass.grants']);
  });

  it('never echoes the bad input when authorize gets a malformed actor (raw TypeError in authorize)', () => {
    const malformed = { userId: marker, roles: marker } as unknown as Actor;
    const error = validationErrorOf(() => authorize(malformed, marker as never));
    expect(error.issues.map((issue) => issue.path)).toEqual(['actor.roles', 'permission']);
    expect(error.message).not.toContain(marker);
    expect(JSON.stringify(error.toProblem())).not.toContain(marker);
  });
});

import {
  ClinicId,
  createFakeClock,
  ForbiddenError,
  NotFoundError,
  InvitationId,
  TenantId,
  UserId,
  uuidv7,
  type Actor,
} from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
import { UniqueViolationError } from '@carequeue/core/sql';
import { memoryClinicRepository } from '../clinics/index.js';
import { ClinicNotInTenantError, memoryStaffRepository } from '../staff/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { sampleStaff } from '../testing/staff-repository-contract.js';
import { memoryInvitationUnitOfWork } from './memory/invitation-unit-of-work.js';
import { InvitationNotUsableError } from './invitation-errors.js';
import { hashInvitationToken } from './invitation-token.js';
import { memoryInvitationRepository } from './memory/invitation-repository.js';
import {
  createStaffInvitationService,
  DEFAULT_INVITATION_TTL_MS,
} from './staff-invitation-service.js';

const tenantId = TenantId.parse(uuidv7());
const clinicId = ClinicId.parse(uuidv7());

function actor(roles: Actor['roles'], tenant: TenantId = tenantId): Actor {
  return { userId: UserId.parse(uuidv7()), tenantId: tenant, roles, aal: 'aal2' };
}

async function setup() {
  const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
  const invitations = memoryInvitationRepository();
  const staff = memoryStaffRepository();
  const clinics = memoryClinicRepository();
  await clinics.insert(sampleClinic(tenantId, { id: clinicId }));
  const foreignClinic = sampleClinic(TenantId.parse(uuidv7()));
  await clinics.insert(foreignClinic);
  const auditStore = memoryAuditStore();
  const service = createStaffInvitationService({
    unitOfWork: memoryInvitationUnitOfWork({ auditStore, clinics, invitations, staff }),
    audit: createAuditLogService({ store: auditStore, clock }),
    clock,
  });
  const events = async () =>
    (await auditStore.query({ tenantId, limit: 100 })).items.map(
      (event) => `${event.resourceType}:${event.action}`,
    );
  const trail = async () =>
    JSON.stringify((await auditStore.query({ tenantId, limit: 100 })).items);
  return { clock, invitations, staff, service, events, trail, foreignClinic: foreignClinic.id };
}

const request = {
  email: 'new@clinic.example',
  roles: ['clinician'] as const,
  clinicIds: [clinicId],
};

describe('StaffInvitationService', () => {
  it('stores only the hash of the token and looks it up by that hash when inviting', async () => {
    const { invitations, service } = await setup();
    const { invitation, token } = await service.invite(actor(['admin']), request);
    const stored = await invitations.get(tenantId, invitation.id);
    expect(stored?.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await invitations.findByTokenHash(hashInvitationToken(token)))?.id).toBe(invitation.id);
    expect(stored?.expiresAt).toBe(
      new Date(Date.UTC(2026, 2, 2, 9) + DEFAULT_INVITATION_TTL_MS).toISOString(),
    );
  });

  it('creates a staff member with the invited roles and clinics when a token is accepted', async () => {
    const { staff, service } = await setup();
    const { token } = await service.invite(actor(['admin']), request);
    const userId = UserId.parse(uuidv7());
    const member = await service.accept(token, { userId, displayName: 'Dr. Lee' });
    expect(member).toMatchObject({ tenantId, userId, roles: ['clinician'], clinicIds: [clinicId] });
    expect(await staff.get(tenantId, member.id)).toEqual(member);
  });

  it('refuses a second acceptance when the token was already used', async () => {
    const { service } = await setup();
    const { token } = await service.invite(actor(['admin']), request);
    await service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'First' });
    await expect(
      service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'Second' }),
    ).rejects.toThrow(InvitationNotUsableError);
  });

  it('marks the invitation expired and refuses it when the token is past its expiry', async () => {
    const { clock, invitations, service } = await setup();
    const { invitation, token } = await service.invite(actor(['admin']), request);
    clock.set(Date.parse(invitation.expiresAt));
    await expect(
      service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'Late' }),
    ).rejects.toThrow(InvitationNotUsableError);
    expect((await invitations.get(tenantId, invitation.id))?.status).toBe('expired');
  });

  it('refuses an unknown token when accepting', async () => {
    const { service } = await setup();
    await expect(
      service.accept('not-a-token', { userId: UserId.parse(uuidv7()), displayName: 'X' }),
    ).rejects.toThrow(InvitationNotUsableError);
  });

  it('makes a revoked token unusable when an admin revokes', async () => {
    const { service } = await setup();
    const admin = actor(['admin']);
    const { invitation, token } = await service.invite(admin, request);
    expect((await service.revoke(admin, invitation.id)).status).toBe('revoked');
    await expect(
      service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'X' }),
    ).rejects.toThrow(InvitationNotUsableError);
    await expect(service.revoke(admin, invitation.id)).rejects.toThrow(InvitationNotUsableError);
  });

  it('replaces the token and extends the expiry when an admin resends', async () => {
    const { clock, service } = await setup();
    const admin = actor(['admin']);
    const first = await service.invite(admin, request);
    await clock.advance(60_000);
    const second = await service.resend(admin, first.invitation.id);
    expect(second.token).not.toBe(first.token);
    expect(Date.parse(second.invitation.expiresAt)).toBe(
      Date.parse(first.invitation.expiresAt) + 60_000,
    );
    await expect(
      service.accept(first.token, { userId: UserId.parse(uuidv7()), displayName: 'X' }),
    ).rejects.toThrow(InvitationNotUsableError);
    const member = await service.accept(second.token, {
      userId: UserId.parse(uuidv7()),
      displayName: 'Y',
    });
    expect(member.roles).toEqual(['clinician']);
  });

  it('lists the tenant invitations when an admin asks', async () => {
    const { service } = await setup();
    const admin = actor(['admin']);
    const { invitation } = await service.invite(admin, request);
    const page = await service.list(admin, {});
    expect(page.items.map((item) => item.id)).toEqual([invitation.id]);
    const other = actor(['admin'], TenantId.parse(uuidv7()));
    expect((await service.list(other, {})).items).toEqual([]);
  });

  it('throws ForbiddenError when the actor lacks invitation permissions', async () => {
    const { service } = await setup();
    const { invitation } = await service.invite(actor(['admin']), request);
    for (const wrong of [actor(['receptionist']), actor(['clinician']), actor(['patient'])]) {
      await expect(service.invite(wrong, request)).rejects.toThrow(ForbiddenError);
      await expect(service.revoke(wrong, invitation.id)).rejects.toThrow(ForbiddenError);
      await expect(service.resend(wrong, invitation.id)).rejects.toThrow(ForbiddenError);
      await expect(service.list(wrong, {})).rejects.toThrow(ForbiddenError);
    }
  });

  it('throws NotFoundError when an admin of another tenant revokes', async () => {
    const { service } = await setup();
    const { invitation } = await service.invite(actor(['admin']), request);
    const stranger = actor(['admin'], TenantId.parse(uuidv7()));
    await expect(service.revoke(stranger, invitation.id)).rejects.toThrow(NotFoundError);
    await expect(service.resend(stranger, InvitationId.parse(uuidv7()))).rejects.toThrow(
      NotFoundError,
    );
  });

  it('lets only an owner invite an owner when roles include owner', async () => {
    const { service } = await setup();
    const ownerRequest = { ...request, roles: ['owner'] as const };
    await expect(service.invite(actor(['admin']), ownerRequest)).rejects.toThrow(ForbiddenError);
    const { invitation } = await service.invite(actor(['owner']), ownerRequest);
    expect(invitation.roles).toEqual(['owner']);
  });

  it('audits invite, resend, revoke and accept without the token or its hash', async () => {
    const { service, events, trail } = await setup();
    const admin = actor(['admin']);
    const first = await service.invite(admin, request);
    const resent = await service.resend(admin, first.invitation.id);
    await service.revoke(admin, first.invitation.id);
    const second = await service.invite(admin, request);
    const member = await service.accept(second.token, {
      userId: UserId.parse(uuidv7()),
      displayName: 'Dr. Lee',
    });
    expect(await events()).toEqual([
      'Invitation:create',
      'Invitation:update',
      'Invitation:update',
      'Invitation:create',
      'Invitation:update',
      'Staff:create',
    ]);
    const text = await trail();
    expect(text).toContain(member.id);
    for (const secret of [first.token, resent.token, second.token]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hashInvitationToken(secret));
    }
  });

  it('leaves the invitation pending with no staff row and no audit when acceptance fails midway', async () => {
    const { invitations, staff, service, events } = await setup();
    const { invitation, token } = await service.invite(actor(['admin']), request);
    const userId = UserId.parse(uuidv7());
    const existing = sampleStaff(tenantId, [], { userId });
    await staff.insert(existing);
    await expect(service.accept(token, { userId, displayName: 'Twice' })).rejects.toThrow(
      UniqueViolationError,
    );
    expect(await invitations.get(tenantId, invitation.id)).toEqual(invitation);
    expect((await staff.list(tenantId, {})).items).toEqual([existing]);
    expect(await events()).toEqual(['Invitation:create']);
    const member = await service.accept(token, {
      userId: UserId.parse(uuidv7()),
      displayName: 'Dr. Lee',
    });
    expect(member.roles).toEqual(['clinician']);
  });

  it('refuses clinics of another tenant or unknown clinics when inviting', async () => {
    const { service, events, invitations, foreignClinic } = await setup();
    const admin = actor(['admin']);
    for (const clinicIds of [[clinicId, foreignClinic], [ClinicId.parse(uuidv7())]]) {
      await expect(service.invite(admin, { ...request, clinicIds })).rejects.toThrow(
        ClinicNotInTenantError,
      );
    }
    expect((await invitations.list(tenantId, {})).items).toEqual([]);
    expect(await events()).toEqual([]);
  });
});

import {
  ForbiddenError,
  UserId,
  uuidv7,
  type Actor,
  type ClinicId,
  type Staff,
  type StaffId,
  type TenantId,
} from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  StaffAccountBoundError,
  type NewStaff,
  type StaffRepository,
  type StaffService,
} from '../../src/index.js';
import { staffActorOf } from '../memory-service-fixture.js';

/** One tenant with two clinics and a staff service over the adapter under test. */
export interface StaffOwnerWorld {
  readonly tenantId: TenantId;
  readonly clinicOne: ClinicId;
  readonly clinicTwo: ClinicId;
  readonly service: StaffService;
  /** The member as stored, read past the service and its caller's reach. */
  readonly stored: (id: StaffId) => Promise<Staff | undefined>;
  /**
   * The adapter's repository under `actor`'s claims, skipping the service, for adapters whose
   * store judges the caller itself (SQL and Supabase); absent in memory, which has no caller.
   */
  readonly repositoryAs?: (actor: Actor) => Pick<StaffRepository, 'update'>;
}

/** The changes an admin who skips the service tries on an owner's row. */
const TAKEOVERS: readonly Partial<Staff>[] = [
  { userId: UserId.parse(uuidv7()), email: 'admin-controlled@example.org' },
  { roles: ['receptionist'] },
  { active: false },
];

/**
 * Owners are protected (issue 21): only an owner changes an owner's roles, account, e-mail or
 * active flag, and a member's account never changes once bound. Every staff adapter runs these
 * through the service; adapters that judge the caller in the database also refuse an admin who
 * skips the service.
 */
export function staffOwnerScenarios(
  name: string,
  setUp: () => Promise<StaffOwnerWorld>,
  { storeJudgesCaller }: { readonly storeJudgesCaller: boolean },
): void {
  describe(`owners are protected (${name})`, () => {
    async function world() {
      const w = await setUp();
      const admin = staffActorOf(w.tenantId, ['admin']);
      const owner = staffActorOf(w.tenantId, ['owner']);
      const ownerInput: NewStaff = {
        displayName: 'Owner',
        email: 'owner@example.org',
        roles: ['owner'],
        clinicIds: [w.clinicOne],
        userId: UserId.parse(uuidv7()),
      };
      const coOwner = await w.service.create(owner, ownerInput);
      return { ...w, admin, owner, ownerInput, coOwner };
    }

    it("an admin cannot rebind an owner's row to another account", async () => {
      const { service, stored, admin, coOwner } = await world();
      await expect(
        service.update(admin, coOwner.id, {
          expectedVersion: 0,
          userId: UserId.parse(uuidv7()),
          email: 'admin-controlled@example.org',
        }),
      ).rejects.toThrow(ForbiddenError);
      await expect(
        service.update(admin, coOwner.id, {
          expectedVersion: 0,
          email: 'admin-controlled@example.org',
        }),
      ).rejects.toThrow(ForbiddenError);
      expect(await stored(coOwner.id)).toEqual(coOwner);
    });

    it('an admin cannot demote an owner', async () => {
      const { service, stored, admin, coOwner } = await world();
      await expect(
        service.update(admin, coOwner.id, { expectedVersion: 0, roles: ['receptionist'] }),
      ).rejects.toThrow(ForbiddenError);
      await expect(
        service.update(admin, coOwner.id, { expectedVersion: 0, roles: ['owner', 'clinician'] }),
      ).rejects.toThrow(ForbiddenError);
      expect(await stored(coOwner.id)).toEqual(coOwner);
    });

    it('an admin cannot deactivate an owner', async () => {
      const { service, stored, admin, coOwner } = await world();
      await expect(
        service.update(admin, coOwner.id, { expectedVersion: 0, active: false }),
      ).rejects.toThrow(ForbiddenError);
      expect(await stored(coOwner.id)).toEqual(coOwner);
    });

    it("an admin cannot bind an owner's row that has no account yet", async () => {
      const { service, stored, admin, owner, ownerInput } = await world();
      const { userId: _none, ...invited } = ownerInput;
      const unbound = await service.create(owner, invited);
      await expect(
        service.update(admin, unbound.id, { expectedVersion: 0, userId: UserId.parse(uuidv7()) }),
      ).rejects.toThrow(ForbiddenError);
      expect(await stored(unbound.id)).toEqual(unbound);
    });

    it('an admin cannot make a member an owner', async () => {
      const { service, stored, admin, ownerInput, clinicOne } = await world();
      const clinician = await service.create(admin, {
        ...ownerInput,
        roles: ['clinician'],
        clinicIds: [clinicOne],
        userId: UserId.parse(uuidv7()),
      });
      await expect(
        service.update(admin, clinician.id, { expectedVersion: 0, roles: ['owner'] }),
      ).rejects.toThrow(ForbiddenError);
      expect(await stored(clinician.id)).toEqual(clinician);
    });

    it("an admin still renames an owner and changes the owner's clinics", async () => {
      const { service, stored, admin, coOwner, clinicTwo } = await world();
      const renamed = await service.update(admin, coOwner.id, {
        expectedVersion: 0,
        displayName: 'Owner Renamed',
        clinicIds: [clinicTwo],
        // Sent unchanged: no change to what the owner is.
        roles: ['owner'],
        email: coOwner.email,
        active: true,
      });
      expect(renamed).toMatchObject({ displayName: 'Owner Renamed', clinicIds: [clinicTwo] });
      expect(await stored(coOwner.id)).toEqual(renamed);
    });

    it("an owner demotes another owner and changes the owner's e-mail and active flag", async () => {
      const { service, stored, owner, coOwner } = await world();
      const demoted = await service.update(owner, coOwner.id, {
        expectedVersion: 0,
        roles: ['receptionist'],
        email: 'former-owner@example.org',
        active: false,
      });
      expect(demoted).toMatchObject({ roles: ['receptionist'], active: false });
      expect(await stored(coOwner.id)).toEqual(demoted);
    });

    it("no one rebinds a bound member's account, not even an owner", async () => {
      const { service, stored, admin, owner, coOwner, ownerInput } = await world();
      const clinician = await service.create(admin, {
        ...ownerInput,
        roles: ['clinician'],
        userId: UserId.parse(uuidv7()),
      });
      for (const actor of [admin, owner]) {
        await expect(
          service.update(actor, clinician.id, {
            expectedVersion: 0,
            userId: UserId.parse(uuidv7()),
          }),
        ).rejects.toThrow(StaffAccountBoundError);
      }
      await expect(
        service.update(owner, coOwner.id, { expectedVersion: 0, userId: UserId.parse(uuidv7()) }),
      ).rejects.toThrow(StaffAccountBoundError);
      expect(await stored(clinician.id)).toEqual(clinician);
      expect(await stored(coOwner.id)).toEqual(coOwner);
    });

    it('an admin binds a member who has no account yet, and a field sent as undefined keeps its value', async () => {
      const { service, stored, admin, ownerInput } = await world();
      const { userId: _none, ...invited } = ownerInput;
      const member = await service.create(admin, { ...invited, roles: ['clinician'] });
      const userId = UserId.parse(uuidv7());
      const bound = await service.update(admin, member.id, { expectedVersion: 0, userId });
      expect(bound.userId).toBe(userId);
      const kept = await service.update(admin, member.id, {
        expectedVersion: 1,
        displayName: 'Dr. Bound',
        userId: undefined,
        active: undefined,
      });
      expect(kept).toMatchObject({ userId, active: true, displayName: 'Dr. Bound' });
      expect(await stored(member.id)).toEqual(kept);
    });

    // Memory has no caller to judge: only the service stands between an admin and the row.
    if (storeJudgesCaller) {
      it('the store refuses an admin who skips the service to rebind, demote or deactivate an owner', async () => {
        const { repositoryAs, stored, admin, owner, coOwner } = await world();
        if (repositoryAs === undefined) throw new Error('This adapter judges no caller.');
        const next: Staff = { ...coOwner, version: 1 };
        for (const change of TAKEOVERS) {
          await expect(repositoryAs(admin).update({ ...next, ...change })).rejects.toThrow();
        }
        expect(await stored(coOwner.id)).toEqual(coOwner);
        const demoted: Staff = { ...next, roles: ['receptionist'] };
        await repositoryAs(owner).update(demoted);
        expect(await stored(coOwner.id)).toEqual(demoted);
      });
    }
  });
}

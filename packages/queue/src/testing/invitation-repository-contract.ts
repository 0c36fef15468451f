import {
  InvitationId,
  StaffId,
  UserId,
  uuidv7,
  ValidationError,
  type ClinicId,
  type Invitation,
  type TenantId,
} from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import type { InvitationRepository } from '../invitations/ports/invitation-repository.js';
import { hashInvitationToken, newInvitationToken } from '../invitations/invitation-token.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';
import { contractCase, idsOfEveryPage } from './contract-cases.js';

/**
 * Options of {@link runInvitationRepositoryContract}.
 *
 * @example
 * ```ts
 * const options: InvitationRepositoryContractOptions = { name: 'memory', create: memoryInvitationRepository, fixtures };
 * ```
 */
export interface InvitationRepositoryContractOptions {
  readonly name: string;
  readonly create: () => InvitationRepository;
  readonly fixtures: ContractFixtures;
}

/**
 * A pending invitation to store in contract tests, with the hash of a fresh token.
 *
 * @example
 * ```ts
 * await repo.insert(sampleInvitation(tenantId, [clinicId]));
 * ```
 */
export function sampleInvitation(
  tenantId: TenantId,
  clinicIds: readonly ClinicId[],
  overrides: Partial<Invitation> = {},
): Invitation {
  return {
    id: InvitationId.parse(uuidv7()),
    tenantId,
    email: 'new.doctor@example.org',
    roles: ['clinician'],
    clinicIds: [...clinicIds],
    status: 'pending',
    tokenHash: hashInvitationToken(newInvitationToken()),
    invitedBy: UserId.parse(uuidv7()),
    expiresAt: '2026-03-09T09:00:00.000Z',
    createdAt: '2026-03-02T09:00:00.000Z',
    version: 0,
    ...overrides,
  };
}

/**
 * The contract every {@link InvitationRepository} passes: round trips, lookup by token hash only,
 * unique hashes, tenant isolation, optimistic versions and cursor pagination.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { runInvitationRepositoryContract } from '@carequeue/queue/testing';
 *
 * runInvitationRepositoryContract({ describe, it, expect }, { name: 'memory', create: memoryInvitationRepository, fixtures });
 * ```
 */
export function runInvitationRepositoryContract(
  { describe, it, expect }: ContractRunner,
  { name, create, fixtures }: InvitationRepositoryContractOptions,
): void {
  const test = contractCase(it, create, fixtures);

  describe(`InvitationRepository contract (${name})`, () => {
    test('refuses a non-UUID invitation or tenant id with a ValidationError on every adapter, not a 404 on memory and a 502 on SQL', async ({
      repo,
      tenantId,
    }) => {
      await expect(repo.get(tenantId, 'invitation-1' as InvitationId)).rejects.toThrow(
        ValidationError,
      );
      await expect(repo.list('tenant-1' as TenantId, {})).rejects.toThrow(ValidationError);
    });

    test('finds an invitation by the hash of its token and not by the token itself', async ({
      repo,
      tenantId,
    }) => {
      const token = newInvitationToken();
      const invitation = sampleInvitation(tenantId, [await fixtures.clinic(tenantId)], {
        tokenHash: hashInvitationToken(token),
      });
      await repo.insert(invitation);
      expect(await repo.get(tenantId, invitation.id)).toEqual(invitation);
      expect(await repo.findByTokenHash(hashInvitationToken(token))).toEqual(invitation);
      expect(await repo.findByTokenHash(token)).toBeUndefined();
    });

    test('rejects a second invitation with the same token hash', async ({ repo, tenantId }) => {
      const invitation = sampleInvitation(tenantId, []);
      await repo.insert(invitation);
      await expect(
        repo.insert(sampleInvitation(tenantId, [], { tokenHash: invitation.tokenHash })),
      ).rejects.toThrow();
    });

    test('reads back acceptance fields when the version follows the stored one', async ({
      repo,
      tenantId,
    }) => {
      const invitation = sampleInvitation(tenantId, []);
      await repo.insert(invitation);
      const accepted: Invitation = {
        ...invitation,
        status: 'accepted',
        acceptedAt: '2026-03-03T09:00:00.000Z',
        staffId: StaffId.parse(uuidv7()),
        version: 1,
      };
      await repo.update(accepted);
      expect(await repo.get(tenantId, invitation.id)).toEqual(accepted);
      await expect(repo.update(accepted)).rejects.toThrow(StaleVersionError);
    });

    test('hides an invitation from another tenant when it reads, lists or updates', async ({
      repo,
      tenantId: tenantA,
    }) => {
      const tenantB = await fixtures.tenant();
      const invitation = sampleInvitation(tenantA, []);
      await repo.insert(invitation);
      expect(await repo.get(tenantB, invitation.id)).toBeUndefined();
      expect((await repo.list(tenantB, {})).items).toHaveLength(0);
      await expect(repo.update({ ...invitation, tenantId: tenantB, version: 1 })).rejects.toThrow(
        StaleVersionError,
      );
    });

    test('returns every invitation once in id order when paging through the list', async ({
      repo,
      tenantId,
    }) => {
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const invitation = sampleInvitation(tenantId, []);
        ids.push(invitation.id);
        await repo.insert(invitation);
      }
      const seen = await idsOfEveryPage((cursor) => repo.list(tenantId, { limit: 2, cursor }));
      expect(seen).toEqual([...ids].sort());
    });
  });
}

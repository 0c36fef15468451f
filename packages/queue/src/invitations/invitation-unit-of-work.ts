import { z } from 'zod';
import type { Actor, ClinicId, TenantId } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import { memoryClinicsInTenant, type ClinicRepository } from '../clinics/index.js';
import { withBufferedAudit } from '../memory/audited-unit.js';
import { memoryLock, runAtomically } from '../memory/snapshot.js';
import { memoryStaffRepository, type StaffRepository } from '../staff/index.js';
import type { InvitationRepository } from './invitation-repository.js';
import { memoryInvitationRepository } from './memory-invitation-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../config/factory-options.js';

/**
 * What one invitation unit of work may touch: invitations, the staff they turn into, the tenant's
 * clinics (to check invited clinic ids) and the audit trail, all in the same transaction.
 *
 * @example
 * ```ts
 * await unitOfWork.runAsInvitee(async ({ invitations, staff, recordAudit }) => {
 *   await invitations.update(accepted);
 *   await staff.insert(member);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface InvitationWorkScope {
  readonly invitations: InvitationRepository;
  readonly staff: StaffRepository;
  /**
   * Which of `clinicIds` are clinics of the tenant, in one read. Clinics of other tenants are left
   * out exactly like ids that do not exist.
   */
  readonly clinicsInTenant: (
    tenantId: TenantId,
    clinicIds: readonly ClinicId[],
  ) => Promise<readonly ClinicId[]>;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs invitation reads and writes atomically with their audit events: as the actor for an
 * administrator's invite, revoke, resend and list, and as the service for an acceptance, which
 * comes from someone who is not a member of the tenant yet and holds only the token.
 *
 * @example
 * ```ts
 * const unitOfWork: InvitationUnitOfWork = memoryInvitationUnitOfWork({ auditStore, clinics });
 * ```
 */
export interface InvitationUnitOfWork {
  run<T>(actor: Actor, work: (scope: InvitationWorkScope) => Promise<T>): Promise<T>;
  runAsInvitee<T>(work: (scope: InvitationWorkScope) => Promise<T>): Promise<T>;
}

/**
 * Options of {@link memoryInvitationUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryInvitationUnitOfWorkOptions = { auditStore: memoryAuditStore(), clinics };
 * ```
 */
export interface MemoryInvitationUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /** The clinics that invitations may name: those of the inviting tenant. */
  readonly clinics: ClinicRepository;
  /**
   * The invitations.
   *
   * @default a new {@link memoryInvitationRepository}
   */
  readonly invitations?: InvitationRepository;
  /**
   * The staff members that accepted invitations become.
   *
   * @default a new {@link memoryStaffRepository}
   */
  readonly staff?: StaffRepository;
}

const MemoryInvitationUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  clinics: repositoryOption('a ClinicRepository'),
  invitations: repositoryOption('an InvitationRepository').optional(),
  staff: repositoryOption('a StaffRepository').optional(),
});

/**
 * An in-memory {@link InvitationUnitOfWork}. Units run one at a time; a unit that fails leaves no
 * write behind in the memory repositories and no audit event, as a rolled-back transaction.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryClinicRepository, memoryInvitationUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryInvitationUnitOfWork({
 *   auditStore: memoryAuditStore(),
 *   clinics: memoryClinicRepository(),
 * });
 * ```
 */
export function memoryInvitationUnitOfWork(
  options: MemoryInvitationUnitOfWorkOptions,
): InvitationUnitOfWork {
  checkFactoryOptions(
    'memoryInvitationUnitOfWork',
    MemoryInvitationUnitOfWorkOptionsSchema,
    options,
  );
  const invitations = options.invitations ?? memoryInvitationRepository();
  const staff = options.staff ?? memoryStaffRepository();
  const clinicsInTenant = memoryClinicsInTenant(options.clinics);
  const lock = memoryLock();
  const run = <T>(work: (scope: InvitationWorkScope) => Promise<T>): Promise<T> =>
    runAtomically(lock, [invitations, staff], () =>
      withBufferedAudit(options.auditStore, (recordAudit) =>
        work({ invitations, staff, clinicsInTenant, recordAudit }),
      ),
    );
  return {
    run: (_actor, work) => run(work),
    runAsInvitee: run,
  };
}
